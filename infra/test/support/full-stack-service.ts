import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createAuditTrail } from '@jts/compliance';
import { createLogger } from '@jts/log';
import { subscribeRuns } from '@jts/core';
import { httpStats, instrumentHandler } from '@jts/http';
import { createTradingMetrics, metricsHandler } from '@jts/metrics';
import { initTracing } from '@jts/trace';
import { ensureBuilt } from '../../../packages/log/test/support/ensure-built.js';
import { startFakeElasticsearch } from '../../../test/support/fake-elasticsearch.js';
import { startOtlpReceiver } from '../../../packages/trace/test/support/otlp-receiver.js';
import { apiRound, API_REQUEST_TIMEOUT_MS, serveApi } from './instrumented-api.js';
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
 * `metricsHandler` on a `node:http` server instrumented with `@jts/http`'s `instrumentHandler`,
 * with a real logger shipping to a loopback `_bulk` stand-in, real tracing exporting to a loopback
 * OTLP receiver, a real audit trail and the HTTP adapters' counters, all exposed through
 * `collectStats`; a round of synthetic desk traffic and real HTTP requests every `intervalMs`; and
 * a third-party run subscriber (another APM on the same `jts:*` channels) that throws on every
 * timed-out request, so contained subscriber failures are counted.
 *
 * @param intervalMs - pause between traffic rounds
 */
export async function startFullStackService(intervalMs = 100): Promise<FullStackService> {
  ensureBuilt(); // the log shipper runs in a worker thread loaded from packages/log/dist
  const directory = mkdtempSync(join(tmpdir(), 'jts-stack-service-'));
  const elasticsearch = await startFakeElasticsearch();
  const receiver = await startOtlpReceiver({ keepSpans: false });
  const tracing = initTracing({
    serviceName: 'stack-check',
    otlp: { url: receiver.url },
    batch: { scheduledDelayMs: 200 },
    flushOnExit: false,
    instrumentFetch: false,
  });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({
    serviceName: 'stack-check',
    destination: { stream: sink },
    flushOnExit: false,
    elasticsearch: {
      url: elasticsearch.url,
      namespace: 'test',
      spoolDir: join(directory, 'spool'),
      flushIntervalMs: 200,
    },
  });
  const audit = createAuditTrail({
    directory: join(directory, 'audit'),
    signingKey: generateKeyPairSync('ed25519').privateKey,
    checkpointEvery: 25,
  });
  const metrics = createTradingMetrics({ strict: false });
  metrics.collectStats('log', () => logger.stats());
  metrics.collectStats('trace', () => tracing.stats());
  metrics.collectStats('audit', () => audit.stats());
  metrics.collectStats('http', httpStats);
  const unsubscribe = subscribeRuns({
    source: 'stack-check-apm',
    operations: ['http.server.request'],
    finish: (run) => {
      if (run.verdict.outcome === 'timeout') throw new Error('this APM cannot report a request without a status code');
    },
  });
  const scrape = metricsHandler({ registry: metrics.registry });
  // /metrics is one of the adapter's default exclusions: every scrape counts as excluded.
  const server: Server = createServer(
    instrumentHandler(
      (request, response) => (request.url === '/metrics' ? scrape(request, response) : serveApi(request, response)),
      {
        route: (request) => request.url?.split('?')[0],
        requestTimeoutMs: API_REQUEST_TIMEOUT_MS,
      },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  let rounds = 0;
  let running = true;
  const sinks = {
    metrics,
    log: (level: 'info' | 'warn' | 'error', fields: object, message: string) => logger[level](fields, message),
    audit: (orderId: string, symbol: string) =>
      audit.recordOrderEvent({ kind: 'filled', orderId, symbol, filledQuantity: 100 }),
  };
  const loop = (async () => {
    while (running) {
      await Promise.all([trafficRound(rounds, sinks), apiRound(rounds, `http://${target}`)]);
      rounds++;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();

  return {
    target,
    rounds: () => rounds,
    async stop() {
      running = false;
      await loop;
      await new Promise((resolve) => server.close(resolve));
      unsubscribe();
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
