import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditTrail } from '@jts/compliance';
import { acceptCorrelationId, correlationIdStats, orderExecution, runSubscriberStats, subscribeRuns } from '@jts/core';
import { httpStats, instrumentHandler } from '@jts/http';
import { createLogger } from '@jts/log';
import { initTracing } from '@jts/trace';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../log/test/support/ensure-built.js';
import { type FakeElasticsearch, startFakeElasticsearch } from '../../../test/support/fake-elasticsearch.js';
import {
  createTradingMetrics,
  METRIC_CATALOG,
  type MetricDefinition,
  type StatsBinding,
  type StatsSourceName,
} from '../src/index.js';
import { bindingPath, readStatsPath } from '../src/internal/stats-collectors.js';
import { parseExposition } from './support/parse-exposition.js';

// The packages' own objects, not copies of their shapes: a field renamed or retyped in a package
// (without the @jts/core type following) fails here.
let directory: string;
let elasticsearch: FakeElasticsearch;
let logger: ReturnType<typeof createLogger>;
let tracing: ReturnType<typeof initTracing>;
let audit: ReturnType<typeof createAuditTrail>;
const real = {} as Record<StatsSourceName, () => unknown>;

beforeAll(async () => {
  ensureBuilt(); // the shipper's worker thread loads the built transport
  directory = mkdtempSync(join(tmpdir(), 'jts-metrics-stats-'));
  elasticsearch = await startFakeElasticsearch();
  logger = createLogger({
    serviceName: 'stats-sources',
    destination: { file: join(directory, 'lines.ndjson') },
    flushOnExit: false,
    elasticsearch: { url: elasticsearch.url, spoolDir: join(directory, 'spool'), flushIntervalMs: 20 },
  });
  tracing = initTracing({ serviceName: 'stats-sources', exporter: new InMemorySpanExporter(), env: {} });
  audit = createAuditTrail({
    directory: join(directory, 'audit'),
    signingKey: generateKeyPairSync('ed25519').privateKey,
  });

  acceptCorrelationId('stats-sources-1');
  logger.info('order accepted');
  logger.warn('slow broker');
  // A signal that fails on one run (contained and counted by source), and one HTTP request served.
  const stopFaulty = subscribeRuns({
    source: 'faulty-signal',
    operations: ['order.execution'],
    finish: () => {
      throw new Error('bug');
    },
  });
  orderExecution.run({ strategyId: 'mm-1', symbol: 'AAPL' }, () => 'filled');
  stopFaulty();
  const server = createServer(instrumentHandler((_request, response) => response.end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`).then((response) => response.text());
  await new Promise((resolve) => server.close(resolve));
  await audit.record({ type: 'order.submitted', payload: { symbol: 'AAPL' } });
  await Promise.all([logger.flush(), tracing.forceFlush()]);
  Object.assign(real, {
    core: correlationIdStats,
    runs: runSubscriberStats,
    http: httpStats,
    log: () => logger.stats(),
    trace: () => tracing.stats(),
    audit: () => audit.stats(),
  });
});

afterAll(async () => {
  await Promise.all([logger?.close(), tracing?.shutdown(), audit?.close()]);
  await elasticsearch?.close();
  rmSync(directory, { recursive: true, force: true });
});

const bound = (METRIC_CATALOG as readonly MetricDefinition[]).filter(
  (entry): entry is MetricDefinition & { stats: StatsBinding } => entry.stats !== undefined,
);

describe('self-metrics bound to the real stats() objects', () => {
  it('finds every bound field in its real object, of the kind its metric needs', () => {
    expect(new Set(bound.map((entry) => entry.stats.from))).toEqual(
      new Set(['core', 'runs', 'http', 'log', 'trace', 'audit']),
    );
    for (const entry of bound) {
      const { path, byKey } = bindingPath(entry.stats);
      const value = readStatsPath(real[entry.stats.from](), path);
      const where = `${entry.name} <- ${entry.stats.from} ${path}`;
      if (byKey) {
        expect(entry.labelNames, where).toHaveLength(1);
        expect(value !== null && typeof value === 'object', `${where} is an object`).toBe(true);
        const values = Object.values(value as object);
        expect(values.length, `${where} has keys`).toBeGreaterThan(0);
        for (const item of values) expect(Number.isFinite(item), `${where} holds numbers`).toBe(true);
      } else {
        expect(entry.labelNames, where).toHaveLength(0);
        expect(typeof value === 'number' && Number.isFinite(value), `${where} is a number (got ${typeof value})`).toBe(
          true,
        );
      }
    }
  });

  it('exposes a sample of every stats-fed metric from the real objects', async () => {
    const metrics = createTradingMetrics({ defaultMetrics: false, operations: false, env: {} });
    try {
      metrics.collectStats('log', () => logger.stats());
      metrics.collectStats('trace', () => tracing.stats());
      metrics.collectStats('compliance', () => audit.stats());
      metrics.collectStats('http', httpStats);
      const samples = parseExposition(await metrics.metrics()).samples;
      for (const entry of bound)
        expect(
          samples.some((sample) => sample.name === entry.name),
          entry.name,
        ).toBe(true);
      const value = (name: string, labels: Record<string, string> = {}) =>
        samples.find(
          (sample) =>
            sample.name === name && Object.entries(labels).every(([label, text]) => sample.labels[label] === text),
        )?.value;
      expect(value('jts_log_lines_total', { level: 'warn' })).toBe(logger.stats().lines.warn);
      expect(value('jts_trace_spans_ended_total')).toBe(tracing.stats().spans.ended);
      expect(tracing.stats().spans.ended).toBeGreaterThanOrEqual(1);
      expect(value('jts_audit_records_by_type_total', { type: 'order.submitted' })).toBe(1);
      expect(value('jts_run_subscriber_failures_total', { source: 'faulty-signal' })).toBe(
        runSubscriberStats().failures['faulty-signal'],
      );
      expect(value('jts_http_excluded_requests_total')).toBe(httpStats().excluded);
      expect(httpStats().excluded).toBeGreaterThanOrEqual(1);
    } finally {
      await metrics.close();
    }
  });

  it('binds by type: a path that is missing, or not a number, does not compile', () => {
    const bindings: StatsBinding[] = [
      // @ts-expect-error: LoggerStats has no elasticsearch.spooledBytez
      { from: 'log', field: 'elasticsearch.spooledBytez' },
      // @ts-expect-error: lastError is a string, not a number
      { from: 'log', field: 'elasticsearch.lastError' },
      // @ts-expect-error: recorded is one number, not an object of numbers
      { from: 'audit', byKey: 'recorded' },
      // @ts-expect-error: AuditTrailStats is not an object of numbers as a whole
      { from: 'audit', byKey: '*' },
      { from: 'trace', field: 'spans.exported' },
    ];
    expect(bindings.map((binding) => bindingPath(binding).path)).toEqual([
      'elasticsearch.spooledBytez',
      'elasticsearch.lastError',
      'recorded',
      '*',
      'spans.exported',
    ]);
  });
});
