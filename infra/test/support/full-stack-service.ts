import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createAuditTrail } from '@jts/compliance';
import { createLogger } from '@jts/log';
import { createTradingMetrics, metricsHandler } from '@jts/metrics';
import { initTracing } from '@jts/trace';
import { ensureBuilt } from '../../../packages/log/test/support/ensure-built.js';
import { startFakeElasticsearch } from '../../../test/support/fake-elasticsearch.js';
import { startOtlpReceiver } from '../../../packages/trace/test/support/otlp-receiver.js';
import { trafficRound } from './synthetic-traffic.js';

/** A real instrumented service on 127.0.0.1:0 with traffic running. */
export interface FullStackService {
  /** `host:port` to scrape (`/metrics`). */
  readonly target: string;
  /** Rounds of traffic completed so far. */
  rounds(): number;
  stop(): Promise<void>;
}

/**
 * Starts the service the live dashboard check scrapes: `createTradingMetrics()` served by
 * `metricsHandler`, with a real logger shipping to a loopback `_bulk` stand-in, real tracing
 * exporting to a loopback OTLP receiver and a real audit trail, all three exposed through
 * `collectStats`, and a round of synthetic desk traffic every `intervalMs`.
 *
 * @param intervalMs - pause between traffic rounds
 */
export async function startFullStackService(intervalMs = 100): Promise<FullStackService> {
  ensureBuilt(); // the log shipper runs in a worker thread loaded from packages/log/dist
  const directory = mkdtempSync(join(tmpdir(), 'jts-stack-service-'));
  const elasticsearch = await startFakeElasticsearch();
  const receiver = await startOtlpReceiver({ keepSpans: false });
  const tracing = initTracing({ serviceName: 'stack-check', otlp: { url: receiver.url }, batch: { scheduledDelayMs: 200 }, flushOnExit: false, instrumentFetch: false });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({
    serviceName: 'stack-check',
    destination: { stream: sink },
    flushOnExit: false,
    elasticsearch: { url: elasticsearch.url, namespace: 'test', spoolDir: join(directory, 'spool'), flushIntervalMs: 200 },
  });
  const audit = createAuditTrail({ directory: join(directory, 'audit'), signingKey: generateKeyPairSync('ed25519').privateKey, checkpointEvery: 25 });
  const metrics = createTradingMetrics({ strict: false });
  metrics.collectStats('log', () => logger.stats());
  metrics.collectStats('trace', () => tracing.stats());
  metrics.collectStats('audit', () => audit.stats());
  const scrape = metricsHandler({ registry: metrics.registry });
  const server: Server = createServer((request, response) => {
    if (request.url === '/metrics') scrape(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  let rounds = 0;
  let running = true;
  const sinks = {
    metrics,
    log: (level: 'info' | 'warn' | 'error', fields: object, message: string) => logger[level](fields, message),
    audit: (orderId: string, symbol: string) => audit.recordOrderEvent({ kind: 'filled', orderId, symbol, filledQuantity: 100 }),
  };
  const loop = (async () => {
    while (running) {
      await trafficRound(rounds, sinks);
      rounds++;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();

  return {
    target: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    rounds: () => rounds,
    async stop() {
      running = false;
      await loop;
      await new Promise((resolve) => server.close(resolve));
      metrics.close();
      await audit.close();
      await logger.close();
      await tracing.shutdown();
      await receiver.close();
      await elasticsearch.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
