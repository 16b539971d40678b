/**
 * Elasticsearch shipping: what a log line costs the application's thread when it is shipped
 * through the spool (pino -> thread-stream -> worker -> disk spool -> `_bulk`), against raw pino
 * writing the same line to a file, in the same run; then the end-to-end rate through the spool to
 * the loopback `_bulk` stand-in.
 *
 *   cd packages/log-elasticsearch && npx tsup && cd ../.. && node --import tsx packages/log-elasticsearch/bench/shipping.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { compare } from '../../../bench/harness.js';
import { createElasticsearchDestination } from '../dist/index.js';
import { startFakeElasticsearch } from '../../../test/support/fake-elasticsearch.js';

const LINES_PER_CALL = 10;
const spoolRoot = mkdtempSync(join(tmpdir(), 'jts-ship-bench-'));
const es = await startFakeElasticsearch();
const service = { name: 'bench', version: '1.0.0', environment: 'bench' };
const shipping = createElasticsearchDestination({ url: es.url, spoolDir: spoolRoot, service, flushOnExit: false });
const fileDestination = pino.destination({ dest: join(spoolRoot, 'raw.log'), sync: false, minLength: 4096 });
const rawPino = pino(fileDestination);
const shipped = pino(shipping.stream as pino.DestinationStream);
const fields = { orderId: 'o-123456', symbol: 'BTC-USD', side: 'buy', qty: 100, price: 187.25 };

await compare({
  suite: 'log-shipping',
  title: '@jts/log: Elasticsearch shipping, cost on the application thread',
  description:
    'pino writing a line with 5 order fields, 10 lines per call: to a file (raw pino, pino.destination async, the baseline) and to the Elasticsearch destination (thread-stream into the shipper worker, which spools to disk and ships to a loopback `_bulk` stand-in in the same process). Measures the application thread only; the spool and the shipping run in the worker.',
  time: 1000,
  operationsPerCall: LINES_PER_CALL,
  cases: [
    {
      name: 'raw pino -> file',
      baseline: true,
      fn: () => {
        for (let index = 0; index < LINES_PER_CALL; index++) rawPino.info(fields, 'order accepted');
      },
    },
    {
      name: 'pino -> Elasticsearch destination (spool + ship in worker)',
      fn: () => {
        for (let index = 0; index < LINES_PER_CALL; index++) shipped.info(fields, 'order accepted');
      },
    },
  ],
  goals: [
    {
      case: 'pino -> Elasticsearch destination (spool + ship in worker)',
      text: 'handing a line to the shipper costs the application no more than writing it to a file (at most 1.5x raw pino -> file)',
      maxTimeRatio: 1.5,
    },
  ],
});

// End to end: how fast the worker moves a burst through the spool into the stand-in.
await shipping.flush(120_000);
const before = shipping.stats();
const burst = 200_000;
const started = performance.now();
for (let index = 0; index < burst; index++) shipped.info(fields, 'order accepted');
await shipping.flush(120_000);
const elapsed = performance.now() - started;
const after = shipping.stats();
console.log(
  `end to end: ${after.shipped - before.shipped} of ${burst} lines acknowledged by the stand-in in ${(elapsed / 1000).toFixed(2)} s = ${Math.round(((after.shipped - before.shipped) * 1000) / elapsed)} lines/s (batchSize 500, one request in flight)`,
);
await shipping.close();
fileDestination.flushSync();
await es.close();
rmSync(spoolRoot, { recursive: true, force: true });
