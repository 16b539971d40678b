import { onDiagnostic, orderExecution, strategyExecution } from '@jts/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Tracing, initTracing } from '../../src/index.js';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.js';

let receiver: OtlpReceiver;
let tracing: Tracing | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(async () => {
  receiver = await startOtlpReceiver();
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
  await receiver.close();
  process.off('unhandledRejection', onUnhandled);
});

const start = (
  overrides: { timeoutMs?: number; scheduledDelayMs?: number; maxQueueSize?: number; env?: NodeJS.ProcessEnv } = {},
) =>
  initTracing({
    serviceName: 'otlp-test',
    serviceVersion: '9.9.9',
    environment: 'test',
    env: overrides.env ?? {},
    flushOnExit: false,
    instrumentFetch: false,
    closeTimeoutMs: 15_000,
    otlp: { url: receiver.url, timeoutMs: overrides.timeoutMs ?? 5000 },
    batch: {
      scheduledDelayMs: overrides.scheduledDelayMs ?? 100,
      maxQueueSize: overrides.maxQueueSize ?? 2048,
      maxExportBatchSize: 512,
    },
  });

const until = async (condition: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

// The encoding: http/protobuf by default (the OTLP specification's), http/json when a variable says so.
const ENCODINGS = [
  { name: 'http/protobuf (default)', env: {}, contentType: 'application/x-protobuf' },
  {
    name: 'http/json (OTEL_EXPORTER_OTLP_PROTOCOL)',
    env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
    contentType: 'application/json',
  },
  {
    name: 'http/protobuf (OTEL_EXPORTER_OTLP_TRACES_PROTOCOL over the generic one)',
    env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' },
    contentType: 'application/x-protobuf',
  },
];

describe('OTLP/HTTP export to a loopback receiver', () => {
  it.each(ENCODINGS)('$name: sends OTLP that decodes to the spans, parents, attributes, status and resource', async ({
    env,
    contentType,
  }) => {
    tracing = start({ env });
    await strategyExecution.run({ strategyId: 'mm-1', correlationId: 'corr-otlp0001' }, () =>
      orderExecution.run({ orderId: 'o-1', symbol: 'AAPL', side: 'buy' }, async () => undefined),
    );
    await orderExecution
      .run({ orderId: 'o-2' }, async () => {
        throw new Error('broker down');
      })
      .catch(() => undefined);
    await tracing.flush();
    expect(receiver.requests.map((request) => request.contentType)).toEqual(receiver.requests.map(() => contentType));
    expect(receiver.spans.find((span) => span.attributes['trading.order_id'] === 'o-2')?.status?.code).toBe(2);
    const order = receiver.spans.find((span) => span.name === 'order.execution');
    const strategy = receiver.spans.find((span) => span.name === 'strategy.execution');
    expect(order?.parentSpanId).toBe(strategy?.spanId);
    expect(order?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(order?.attributes).toMatchObject({
      'trading.order_id': 'o-1',
      'trading.symbol': 'AAPL',
      'trading.strategy_id': 'mm-1',
      correlation_id: 'corr-otlp0001',
    });
    expect(order?.resource).toMatchObject({
      'service.name': 'otlp-test',
      'service.version': '9.9.9',
      'deployment.environment.name': 'test',
    });
    expect(tracing.stats().spans).toMatchObject({ ended: 3, exported: 3, dropped: 0, rejected: 0 });
  });

  it.each([429, 503])('honours Retry-After on %i and delivers on the retry', async (status) => {
    tracing = start();
    receiver.setFault({ kind: 'status', status, retryAfter: '1', times: 1 });
    orderExecution.run({ orderId: 'retry' }, () => undefined);
    await tracing.flush();
    expect(receiver.requests.map((request) => request.status)).toEqual([status, 200]);
    const gap = (receiver.requests[1]?.at ?? 0) - (receiver.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(receiver.spans.map((span) => span.name)).toEqual(['order.execution']);
    expect(tracing.stats().spans).toMatchObject({ exported: 1, dropped: 0 });
  });

  it('does not retry a 400 and counts the spans as dropped', async () => {
    tracing = start();
    receiver.setFault({ kind: 'status', status: 400 });
    const events: string[] = [];
    const stop = onDiagnostic((diagnostic) => events.push(diagnostic.event));
    for (let index = 0; index < 3; index++) orderExecution.run({}, () => undefined);
    await tracing.flush();
    stop();
    expect(events).toEqual(['export_failed']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests.map((request) => request.status)).toEqual([400]);
    expect(tracing.stats()).toMatchObject({ spans: { ended: 3, exported: 0, dropped: 3 }, exports: { failed: 1 } });
  });

  it.each(ENCODINGS)('$name: counts a partial success as rejected spans', async ({ env }) => {
    tracing = start({ env });
    receiver.setFault({ kind: 'partial', rejectedSpans: 2 });
    for (let index = 0; index < 5; index++) orderExecution.run({}, () => undefined);
    await tracing.flush();
    expect(tracing.stats().spans).toMatchObject({ ended: 5, exported: 3, rejected: 2, dropped: 0 });
  });

  it('times out exports to a collector that never answers, with a bounded number of sockets, then resumes', async () => {
    tracing = start({ timeoutMs: 400, scheduledDelayMs: 50 });
    receiver.setFault({ kind: 'hang' });
    for (let round = 0; round < 10; round++) {
      for (let index = 0; index < 20; index++) orderExecution.run({}, () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await tracing.flush();
    const hung = tracing.stats().spans;
    expect(hung.dropped).toBeGreaterThan(0);
    expect(tracing.stats().exports.failed).toBeGreaterThan(0);
    expect(receiver.maxOpenSockets()).toBeLessThanOrEqual(4);
    receiver.setFault({ kind: 'ok' });
    orderExecution.run({ orderId: 'after-hang' }, () => undefined);
    await tracing.flush();
    expect(receiver.spans.some((span) => span.attributes['trading.order_id'] === 'after-hang')).toBe(true);
    expect(tracing.stats().spans.exported).toBeGreaterThan(hung.exported);
    expect(unhandled).toEqual([]);
  });

  it('survives a collector refusing connections at 5,000 spans/s: bounded heap, drops counted, export resumes', async () => {
    tracing = start({ timeoutMs: 500, scheduledDelayMs: 50 });
    await receiver.refuse();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapMax = heapBefore;
    let produced = 0;
    const windowMs = 3000;
    const began = Date.now();
    // 5,000 spans/s: every ~10 ms, catch up with 5 spans per elapsed millisecond (timers drift under load).
    while (Date.now() - began < windowMs) {
      const due = Math.min(5 * (Date.now() - began), 5 * windowMs);
      while (produced < due) orderExecution.run({ orderId: `o-${produced++}`, symbol: 'AAPL' }, () => undefined);
      heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const during = tracing.stats().spans;
    expect(during.ended).toBe(produced);
    expect(produced).toBeGreaterThan(12_000);
    expect(during.dropped).toBeGreaterThan(0);
    expect(during.exported).toBe(0);
    // The queue holds at most 2,048 spans: heap growth stays far below what 15,000 spans retained would need.
    const growthMb = (heapMax - heapBefore) / 1024 / 1024;
    console.info(`refused window: ${produced} spans, ${during.dropped} dropped, heap growth ${growthMb.toFixed(1)} MB`);
    expect(growthMb).toBeLessThan(96);

    await receiver.resume();
    orderExecution.run({ orderId: 'after-refusal' }, () => undefined);
    await until(() => receiver.spans.some((span) => span.attributes['trading.order_id'] === 'after-refusal'), 10_000);
    await tracing.flush();
    const after = tracing.stats().spans;
    expect(after.exported).toBeGreaterThan(0);
    expect(after.exported + after.dropped + after.rejected).toBe(after.ended);
    expect(unhandled).toEqual([]);
  });
});
