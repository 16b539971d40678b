import {
  type AuditTrailStats,
  acceptCorrelationId,
  correlationIdStats,
  type LoggerStats,
  type TracingStats,
} from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createTradingMetrics, type TradingMetrics } from '../src/index.js';
import { sampleKey as key, sampleMap } from './support/parse-exposition.js';

let metrics: TradingMetrics | undefined;
afterEach(() => metrics?.close());
const create = () => (metrics = createTradingMetrics({ defaultMetrics: false, operations: false }));

describe('collectStats', () => {
  it('exposes plain stats objects of other packages at scrape time, by the catalog bindings', async () => {
    const target = create();
    // Hand-made, mutable objects of the @jts/core shapes (stats-sources.test.ts uses the packages' real ones).
    const lines = { trace: 0, debug: 1, info: 10, warn: 2, error: 1, fatal: 0 };
    const spans = { started: 5, ended: 5, exported: 4, dropped: 1, rejected: 0 };
    const log: LoggerStats = {
      lines,
      total: 14,
      dropped: 0,
      operationLines: 4,
      elasticsearch: {
        received: 14,
        shipped: 8,
        retried: 3,
        spooledBytes: 4096,
        deadLettered: 1,
        dropped: 0,
        failedRequests: 2,
        shipperHeapUsedBytes: 1e6,
        spoolSyncs: 5,
        lastError: 'x',
      },
    };
    const trace: TracingStats = { spans, exports: { failed: 1 } };
    const audit: AuditTrailStats = {
      recorded: 3,
      byType: { 'order.submitted': 2, 'audit.checkpoint': 1 },
      notDurable: 0,
      checkpoints: 1,
      fsyncs: 2,
      rotations: 1,
      events: 3,
      checkpointExportFailures: 0,
      checkpointSignFailures: 4,
      recoveredTornBytes: 0,
      pending: 0,
      lastSeq: 3,
      headHash: 'abc',
    };
    target.collectStats('log', () => log);
    const stopTrace = target.collectStats('trace', () => trace);
    target.collectStats('compliance', () => audit);
    let samples = sampleMap(await target.metrics());
    expect(samples.get(key('jts_log_lines_total', { level: 'info' }))).toBe(10);
    expect(samples.get(key('jts_log_lines_total', { level: 'error' }))).toBe(1);
    expect(samples.get(key('jts_log_operation_lines_total'))).toBe(4);
    expect(samples.get(key('jts_log_shipping_shipped_total'))).toBe(8);
    expect(samples.get(key('jts_log_shipping_failed_requests_total'))).toBe(2);
    expect(samples.get(key('jts_log_shipping_spool_syncs_total'))).toBe(5);
    expect(samples.get(key('jts_log_shipping_spooled_bytes'))).toBe(4096);
    expect(samples.get(key('jts_trace_spans_exported_total'))).toBe(4);
    expect(samples.get(key('jts_trace_exports_failed_total'))).toBe(1);
    expect(samples.get(key('jts_audit_records_total'))).toBe(3);
    expect(samples.get(key('jts_audit_checkpoint_sign_failures_total'))).toBe(4);
    expect(samples.get(key('jts_audit_records_by_type_total', { type: 'order.submitted' }))).toBe(2);
    lines.info = 25;
    spans.exported = 99;
    stopTrace();
    samples = sampleMap(await target.metrics());
    expect(samples.get(key('jts_log_lines_total', { level: 'info' }))).toBe(25);
    expect(samples.get(key('jts_trace_spans_exported_total'))).toBe(4);
  });

  it('skips a field that is missing at run time, and refuses an unknown source', async () => {
    const target = create();
    // A JavaScript caller (no types) handing over a partial object.
    target.collectStats('audit', () => ({ recorded: 7 }) as never);
    const samples = sampleMap(await target.metrics());
    expect(samples.get(key('jts_audit_records_total'))).toBe(7);
    expect(samples.has(key('jts_audit_fsyncs_total'))).toBe(false);
    expect(() => target.collectStats('logs' as never, () => ({}) as never)).toThrow(
      expect.objectContaining({
        code: 'JTS_ERR_INVALID_ARGUMENT',
        message: expect.stringMatching(/Unknown stats source "logs"/),
      }),
    );
  });

  it('survives a stats reader that throws', async () => {
    const target = create();
    target.collectStats('log', () => {
      throw new Error('stats broke');
    });
    const samples = sampleMap(await target.metrics());
    expect(samples.has(key('jts_log_lines_total'))).toBe(false);
    expect(samples.get(key('jts_metrics_series', { metric: 'order_execution_total' }))).toBe(0);
  });

  it('exposes the core correlation-ID counters, rejections included', async () => {
    const target = create();
    acceptCorrelationId('bad id with spaces');
    acceptCorrelationId('good-id-1');
    const stats = correlationIdStats();
    const samples = sampleMap(await target.metrics());
    expect(samples.get(key('jts_correlation_ids_total', { outcome: 'rejected' }))).toBe(stats.rejected);
    expect(samples.get(key('jts_correlation_ids_total', { outcome: 'accepted' }))).toBe(stats.accepted);
    expect(stats.rejected).toBeGreaterThanOrEqual(1);
  });
});
