/**
 * Soak run of issue 3, item 7, full length: Elasticsearch (the loopback `_bulk` stand-in)
 * refuses connections for 30 s while the application logs 2,000 lines/s through createLogger
 * with Elasticsearch shipping; then the same load without the shipper as the baseline.
 *
 *   cd packages/log && npx tsup && cd ../.. && node --import tsx bench/log-soak.ts
 *
 * Env: JTS_SOAK_OUTAGE_MS (default 30000), JTS_SOAK_RATE (default 2000).
 * Prints the figures quoted in packages/log/README.md and docs/guides/logging.md.
 */
import { createRequire } from 'node:module';
import { startFakeElasticsearch } from '../test/support/fake-elasticsearch.js';
import { runOutageScenario } from '../packages/log/test/support/outage-scenario.js';

// pino and pino-elasticsearch are dependencies of packages/log, resolved from there.
const requireFromLog = createRequire(new URL('../packages/log/package.json', import.meta.url));
type Stream = NodeJS.ReadWriteStream & { destroy(): void };
const pino = requireFromLog('pino') as (stream: Stream) => { info(object: object, message: string): void };
const pinoElasticsearch = requireFromLog('pino-elasticsearch') as (options: Record<string, unknown>) => Stream;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same timeline with pino-elasticsearch 8.1 alone (no spool), in this process. */
async function pinoElasticsearchAlone(timeline: { beforeMs: number; outageMs: number; afterMs: number; rate: number }) {
  const es = await startFakeElasticsearch();
  const stream = pinoElasticsearch({
    node: es.url,
    index: 'logs-baseline-default',
    opType: 'create',
    esVersion: 8,
    flushInterval: 200,
    flushBytes: 100_000,
  });
  let errors = 0;
  stream.on('error', () => errors++);
  stream.on('insertError', () => errors++);
  const logger = pino(stream);
  let seq = 0;
  const started = Date.now();
  const total = timeline.beforeMs + timeline.outageMs + timeline.afterMs;
  const writer = setInterval(() => {
    const due = Math.floor((Math.min(Date.now() - started, total) * timeline.rate) / 1000);
    while (seq < due) logger.info({ seq: seq++ }, 'order accepted');
  }, 5);
  await sleep(timeline.beforeMs);
  await es.down();
  await sleep(timeline.outageMs);
  await es.up();
  await sleep(timeline.afterMs);
  clearInterval(writer);
  await sleep(10_000); // generous time to catch up after recovery
  const documents = es.documents('logs-baseline-default');
  const delivered = new Set(documents.map((document) => document.seq as number));
  const lostInOutage = [...Array(seq).keys()].filter((n) => !delivered.has(n)).length;
  const afterRecovery = documents.filter(
    (document) => (document.seq as number) >= ((timeline.beforeMs + timeline.outageMs) * timeline.rate) / 1000,
  ).length;
  stream.destroy();
  await es.close();
  return {
    lines: seq,
    delivered: delivered.size,
    missing: lostInOutage,
    'delivered of the lines logged after recovery': afterRecovery,
    'error events': errors,
  };
}

const outageMs = Number(process.env.JTS_SOAK_OUTAGE_MS ?? 30_000);
const rate = Number(process.env.JTS_SOAK_RATE ?? 2000);
const timeline = { beforeMs: 5000, outageMs, afterMs: 5000, rate };
const MiB = 1024 * 1024;

const summarise = (label: string, result: Awaited<ReturnType<typeof runOutageScenario>>) => {
  const unique = new Set(result.sequences).size;
  const missing = result.lines - unique;
  const duplicates = result.sequences.length - unique;
  const samples = result.heapUsedBytes.samples;
  const tenth = Math.max(1, Math.floor(samples.length / 10));
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  return {
    run: label,
    lines: result.lines,
    delivered: unique,
    missing,
    duplicates,
    'event loop p99 blocking (ms)': +(result.eventLoopDelayMs.p99 - 10).toFixed(2),
    'event loop max blocking (ms)': +(result.eventLoopDelayMs.max - 10).toFixed(2),
    'main heap first/last 10% mean (MiB)': `${(mean(samples.slice(0, tenth)) / MiB).toFixed(1)} / ${(mean(samples.slice(-tenth)) / MiB).toFixed(1)}`,
    'main heap max (MiB)': +(result.heapUsedBytes.max / MiB).toFixed(1),
    'shipper heap (MiB)': +(((result.statsAfterClose.shipperHeapUsedBytes as number) ?? 0) / MiB).toFixed(1),
    'spooled at end of logging (KiB)': +(((result.statsAtEnd.spooledBytes as number) ?? 0) / 1024).toFixed(1),
    'failed requests': result.statsAtEnd.failedRequests,
    'close (ms)': result.closeMs,
  };
};

const withShipper = await runOutageScenario(timeline);
const baseline = await runOutageScenario({ ...timeline, shipper: false });
console.table([
  summarise(`shipper, ${outageMs / 1000} s outage`, withShipper),
  summarise('baseline: no shipper', baseline),
]);
if (process.env.JTS_SOAK_SKIP_PINO_ELASTICSEARCH !== '1') {
  console.log('pino-elasticsearch 8.1 alone, same timeline:');
  console.table([await pinoElasticsearchAlone(timeline)]);
}
if (withShipper.sequences.length !== withShipper.lines || new Set(withShipper.sequences).size !== withShipper.lines)
  process.exitCode = 1;
