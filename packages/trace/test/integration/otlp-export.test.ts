import { onDiagnostic } from '@jts/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Tracing, initTracing, traceOrderExecution, traceStrategyExecution } from '../../src/index.js';
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

const start = (overrides: { timeoutMillis?: number; scheduledDelayMillis?: number; maxQueueSize?: number } = {}) =>
  initTracing({
    serviceName: 'otlp-test',
    serviceVersion: '9.9.9',
    environment: 'test',
    env: {},
    flushOnSignal: false,
    instrumentFetch: false,
    shutdownTimeoutMillis: 15_000,
    otlp: { url: receiver.url, timeoutMillis: overrides.timeoutMillis ?? 5000 },
    batch: { scheduledDelayMillis: overrides.scheduledDelayMillis ?? 100, maxQueueSize: overrides.maxQueueSize ?? 2048, maxExportBatchSize: 512 },
  });

const until = async (condition: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('OTLP/HTTP export to a loopback receiver', () => {
  it('sends OTLP/JSON that decodes to the spans, parents and resource', async () => {
    tracing = start();
    await traceStrategyExecution({ strategyId: 'mm-1', correlationId: 'corr-otlp0001' }, () =>
      traceOrderExecution({ orderId: 'o-1', symbol: 'AAPL', side: 'buy' }, async () => undefined),
    );
    await tracing.forceFlush();
    expect(receiver.requests[0]?.contentType).toBe('application/json');
    const order = receiver.spans.find((span) => span.name === 'order.execution');
    const strategy = receiver.spans.find((span) => span.name === 'strategy.execution');
    expect(order?.parentSpanId).toBe(strategy?.spanId);
    expect(order?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(order?.attributes).toMatchObject({ 'trading.order_id': 'o-1', 'trading.symbol': 'AAPL', 'trading.strategy_id': 'mm-1', correlation_id: 'corr-otlp0001' });
    expect(order?.resource).toMatchObject({ 'service.name': 'otlp-test', 'service.version': '9.9.9', 'deployment.environment.name': 'test' });
    expect(tracing.stats().spans).toMatchObject({ ended: 2, exported: 2, dropped: 0, rejected: 0 });
  });

  it.each([429, 503])('honours Retry-After on %i and delivers on the retry', async (status) => {
    tracing = start();
    receiver.setFault({ kind: 'status', status, retryAfter: '1', times: 1 });
    traceOrderExecution({ orderId: 'retry' }, () => undefined);
    await tracing.forceFlush();
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
    for (let index = 0; index < 3; index++) traceOrderExecution({}, () => undefined);
    await tracing.forceFlush();
    stop();
    expect(events).toEqual(['export_failed']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests.map((request) => request.status)).toEqual([400]);
    expect(tracing.stats()).toMatchObject({ spans: { ended: 3, exported: 0, dropped: 3 }, exports: { failed: 1 } });
  });

  it('counts a partial success as rejected spans', async () => {
    tracing = start();
    receiver.setFault({ kind: 'partial', rejectedSpans: 2 });
    for (let index = 0; index < 5; index++) traceOrderExecution({}, () => undefined);
    await tracing.forceFlush();
    expect(tracing.stats().spans).toMatchObject({ ended: 5, exported: 3, rejected: 2, dropped: 0 });
  });

  it('times out exports to a collector that never answers, with a bounded number of sockets, then resumes', async () => {
    tracing = start({ timeoutMillis: 400, scheduledDelayMillis: 50 });
    receiver.setFault({ kind: 'hang' });
    for (let round = 0; round < 10; round++) {
      for (let index = 0; index < 20; index++) traceOrderExecution({}, () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await tracing.forceFlush();
    const hung = tracing.stats().spans;
    expect(hung.dropped).toBeGreaterThan(0);
    expect(tracing.stats().exports.failed).toBeGreaterThan(0);
    expect(receiver.maxOpenSockets()).toBeLessThanOrEqual(4);
    receiver.setFault({ kind: 'ok' });
    traceOrderExecution({ orderId: 'after-hang' }, () => undefined);
    await tracing.forceFlush();
    expect(receiver.spans.some((span) => span.attributes['trading.order_id'] === 'after-hang')).toBe(true);
    expect(tracing.stats().spans.exported).toBeGreaterThan(hung.exported);
    expect(unhandled).toEqual([]);
  });

  it('survives a collector refusing connections at 5,000 spans/s: bounded heap, drops counted, export resumes', async () => {
    tracing = start({ timeoutMillis: 500, scheduledDelayMillis: 50 });
    await receiver.refuse();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapMax = heapBefore;
    let produced = 0;
    const windowMs = 3000;
    const began = Date.now();
    // 5,000 spans/s: every ~10 ms, catch up with 5 spans per elapsed millisecond (timers drift under load).
    while (Date.now() - began < windowMs) {
      const due = Math.min(5 * (Date.now() - began), 5 * windowMs);
      while (produced < due) traceOrderExecution({ orderId: `o-${produced++}`, symbol: 'AAPL' }, () => undefined);
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
    traceOrderExecution({ orderId: 'after-refusal' }, () => undefined);
    await until(() => receiver.spans.some((span) => span.attributes['trading.order_id'] === 'after-refusal'), 10_000);
    await tracing.forceFlush();
    const after = tracing.stats().spans;
    expect(after.exported).toBeGreaterThan(0);
    expect(after.exported + after.dropped + after.rejected).toBe(after.ended);
    expect(unhandled).toEqual([]);
  });
});
