/**
 * One order, one verdict: the four real signals (a pino logger writing JSON lines, a prom-client
 * registry read through its exposition, OpenTelemetry spans in an in-memory exporter, a signed
 * audit trail on disk) observe the same runs and must report the same outcome and duration.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTCOME_SIGNALS, type OutcomeClass, orderExecution } from '@jts/core';
import { createAuditTrail } from '@jts/compliance';
import { createTradingMetrics } from '@jts/metrics';
import { createCapture } from '../packages/log/test/helpers/capture.js';
import { createLogger } from '@jts/log';
import { parseExposition } from '../packages/metrics/test/support/parse-exposition.js';
import { startTestTracing } from '../packages/trace/test/support/in-memory-tracing.js';

// OpenTelemetry's SpanStatusCode values (the api package is not a dependency of the workspace root).
const SpanStatusCode = { UNSET: 0, ERROR: 2 } as const;

type Scope = Parameters<Parameters<typeof orderExecution.run>[1]>[0];
interface Case {
  readonly orderId: string;
  readonly run: (scope: Scope) => unknown;
  readonly outcome: string;
  readonly outcomeClass: OutcomeClass;
  /** error.type for the error class, reason for a business outcome. */
  readonly classifier?: string;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 3));
const CASES: readonly Case[] = [
  { orderId: 'o-sync-ok', run: () => 'filled', outcome: 'success', outcomeClass: 'success' },
  {
    orderId: 'o-async-ok',
    run: async () => {
      await pause();
      return 'filled';
    },
    outcome: 'success',
    outcomeClass: 'success',
  },
  {
    orderId: 'o-sync-throw',
    run: () => {
      throw new RangeError('price out of band');
    },
    outcome: 'error',
    outcomeClass: 'error',
    classifier: 'RangeError',
  },
  {
    orderId: 'o-async-reject',
    run: async () => {
      await pause();
      throw Object.assign(new Error('broker timeout'), { code: 'ETIMEDOUT' });
    },
    outcome: 'error',
    outcomeClass: 'error',
    classifier: 'ETIMEDOUT',
  },
  {
    orderId: 'o-rejected',
    run: (scope) => scope.setOutcome('rejected', 'insufficient_margin'),
    outcome: 'rejected',
    outcomeClass: 'business',
    classifier: 'insufficient_margin',
  },
  {
    orderId: 'o-cancelled-async',
    run: async (scope) => {
      scope.setOutcome('cancelled');
      await pause();
    },
    outcome: 'cancelled',
    outcomeClass: 'business',
  },
  {
    orderId: 'o-timeout',
    run: async (scope) => {
      await pause();
      scope.setOutcome('timeout', 'venue_silent');
    },
    outcome: 'timeout',
    outcomeClass: 'error',
    classifier: 'venue_silent',
  },
  {
    orderId: 'o-recorded-error',
    run: (scope) => scope.recordError(new TypeError('fill report unreadable')),
    outcome: 'error',
    outcomeClass: 'error',
    classifier: 'TypeError',
  },
];

const LABELS = { strategy_id: 'mm-1', symbol: 'AAPL', exchange: 'XNAS' };
const directory = mkdtempSync(join(tmpdir(), 'jts-agree-'));
const capture = createCapture();
let lines: Record<string, unknown>[] = [];
let spans: Awaited<ReturnType<ReturnType<typeof startTestTracing>['spans']>> = [];
let samples: ReturnType<typeof parseExposition>['samples'] = [];
let audit: Record<string, unknown>[] = [];

beforeAll(async () => {
  const logger = createLogger({ serviceName: 'agree', destination: { stream: capture.stream }, flushOnExit: false });
  const metrics = createTradingMetrics({ defaultMetrics: false });
  const tracing = startTestTracing();
  const trail = createAuditTrail({
    directory,
    signingKey: generateKeyPairSync('ed25519').privateKey,
    operations: ['order.execution'],
    checkpointIntervalMs: 0,
    flushOnExit: false,
  });
  try {
    for (const item of CASES) {
      const attributes = {
        orderId: item.orderId,
        strategyId: 'mm-1',
        symbol: 'AAPL',
        exchange: 'XNAS',
        side: 'buy',
        orderType: 'limit',
      };
      try {
        await orderExecution.run(attributes, item.run);
      } catch {
        // The error reached the caller unchanged (checked in core's tests); the signals are checked here.
      }
    }
    spans = await tracing.spans();
    samples = parseExposition(await metrics.metrics()).samples;
  } finally {
    await trail.close();
    await tracing.shutdown();
    metrics.close();
    await logger.close();
  }
  lines = capture.records().filter((line) => line['event.action'] === 'order.execution');
  audit = readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(join(directory, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

const lineOf = (orderId: string) => lines.find((line) => line['trading.order_id'] === orderId)!;
const spanOf = (orderId: string) => spans.find((span) => span.attributes['trading.order_id'] === orderId)!;
const outcomeRecordOf = (orderId: string) =>
  audit.find((record) => record.type === 'order.outcome' && record['trading.order_id'] === orderId)!;
const sample = (name: string, labels: Record<string, string>) =>
  samples.find(
    (candidate) =>
      candidate.name === name && Object.entries(labels).every(([key, value]) => candidate.labels[key] === value),
  )?.value ?? 0;

describe('one order, one verdict in every signal', () => {
  it('each signal saw every order exactly once', () => {
    expect(lines).toHaveLength(CASES.length);
    expect(spans.filter((span) => span.name === 'order.execution')).toHaveLength(CASES.length);
    expect(audit.filter((record) => record.type === 'order.outcome')).toHaveLength(CASES.length);
    expect(audit.filter((record) => record.type === 'order.submitted')).toHaveLength(CASES.length);
    expect(sample('order_execution_duration_seconds_count', LABELS)).toBe(CASES.length);
  });

  it.each(CASES)('$orderId: log level, span status, audit outcome and classifier agree ($outcome)', (item) => {
    const signals = OUTCOME_SIGNALS[item.outcomeClass];
    const line = lineOf(item.orderId);
    const span = spanOf(item.orderId);
    const record = outcomeRecordOf(item.orderId);
    // Log
    expect(line['log.level']).toBe(signals.logLevel);
    expect(line['event.outcome']).toBe(signals.eventOutcome);
    expect(line['jts.operation.status']).toBe(item.outcome);
    // Trace
    expect(span.status.code).toBe(signals.spanStatus === 'error' ? SpanStatusCode.ERROR : SpanStatusCode.UNSET);
    // Audit
    expect(record['trading.order_status']).toBe(item.outcome);
    expect(record.payload).toMatchObject({ outcome: item.outcome, outcome_class: item.outcomeClass });
    // The classifier: error.type for a failure, the reason for a business outcome, the same everywhere.
    if (item.outcomeClass === 'error') {
      expect((line.error as { type?: string; code?: string }).code ?? (line.error as { type: string }).type).toBe(
        item.classifier,
      );
      expect(span.attributes['error.type']).toBe(item.classifier);
      expect((record.payload as Record<string, unknown>).error_type).toBe(item.classifier);
    } else {
      expect(span.attributes['error.type']).toBeUndefined();
      expect(line.error).toBeUndefined();
    }
    if (item.outcomeClass === 'business') {
      expect(span.attributes['jts.operation.outcome']).toBe(item.outcome);
      expect(line['event.reason']).toBe(item.classifier);
      expect(span.attributes['jts.operation.reason']).toBe(item.classifier);
      expect((record.payload as Record<string, unknown>).reason).toBe(item.classifier);
    }
  });

  it.each(CASES)('$orderId: one duration in the log line, the span and the audit record', (item) => {
    const line = lineOf(item.orderId);
    const span = spanOf(item.orderId);
    const durationMs = (outcomeRecordOf(item.orderId).payload as { duration_ms: number }).duration_ms;
    expect(line['event.duration']).toBe(Math.round(durationMs * 1e6));
    expect(span.duration[0] * 1e9 + span.duration[1]).toBe(Math.round(durationMs * 1e6));
  });

  it('the counters count each outcome once, and errors only for the error class', () => {
    const byOutcome = new Map<string, number>();
    for (const item of CASES) byOutcome.set(item.outcome, (byOutcome.get(item.outcome) ?? 0) + 1);
    for (const [status, count] of byOutcome) expect(sample('order_execution_total', { ...LABELS, status })).toBe(count);
    const errors = CASES.filter((item) => OUTCOME_SIGNALS[item.outcomeClass].countsAsError);
    for (const item of errors)
      expect(sample('order_execution_errors_total', { ...LABELS, error_type: item.classifier! })).toBe(1);
    const errorSeries = samples.filter((candidate) => candidate.name === 'order_execution_errors_total');
    expect(errorSeries.reduce((total, candidate) => total + candidate.value, 0)).toBe(errors.length);
    // The histogram's sum is the sum of the durations the audit trail recorded (the same numbers).
    const recorded = audit
      .filter((record) => record.type === 'order.outcome')
      .reduce((total, record) => total + (record.payload as { duration_ms: number }).duration_ms / 1000, 0);
    expect(sample('order_execution_duration_seconds_sum', LABELS)).toBeCloseTo(recorded, 9);
  });
});
