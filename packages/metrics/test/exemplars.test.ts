import { context, trace } from '@opentelemetry/api';
import { orderExecution } from '@jts/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTradingMetrics, type TradingMetrics } from '../src/index.js';
import { parseExposition } from './support/parse-exposition.js';
import { startTestTracing, type TestTracing } from './support/tracing.js';

let tracing: TestTracing;
let metrics: TradingMetrics | undefined;
beforeAll(() => {
  tracing = startTestTracing();
});
afterAll(() => tracing.shutdown());
afterEach(() => metrics?.close());

const ORDER = { strategyId: 'mm-1', symbol: 'AAPL', exchange: 'XNAS', side: 'buy', orderType: 'limit' };
const create = (exemplars = true) =>
  (metrics = createTradingMetrics({ defaultMetrics: false, strict: false, exemplars }));

describe('exemplars', () => {
  it('attaches trace_id and span_id of the sampled active span to the bucket and the counter (OpenMetrics only)', async () => {
    const target = create();
    const span = tracing.sampled.startSpan('submit order');
    const before = Date.now() / 1000;
    context.with(trace.setSpan(context.active(), span), () => target.recordOrderExecution(ORDER, 0.0042));
    span.end();
    const { traceId, spanId } = span.spanContext();
    const parsed = parseExposition(await target.metrics({ openMetrics: true }));
    const withExemplar = parsed.samples.filter((sample) => sample.exemplar !== undefined);
    expect(withExemplar.map((sample) => `${sample.name}{le=${sample.labels.le ?? ''}}`)).toEqual([
      'order_execution_duration_seconds_bucket{le=0.005}',
      'order_execution_total{le=}',
    ]);
    for (const sample of withExemplar) {
      expect(sample.exemplar!.labels).toEqual({ trace_id: traceId, span_id: spanId });
      expect(sample.exemplar!.timestamp).toBeGreaterThanOrEqual(Math.floor(before));
    }
    expect(withExemplar[0]!.exemplar!.value).toBe(0.0042);
    expect(withExemplar[1]!.exemplar!.value).toBe(1);
    // Prometheus text has no exemplar syntax.
    expect(await target.metrics()).not.toContain('trace_id');
  });

  it('adds none for unsampled spans, outside spans, or when disabled', async () => {
    const target = create();
    target.recordOrderExecution(ORDER, 0.01);
    const unsampled = tracing.unsampled.startSpan('not sampled');
    context.with(trace.setSpan(context.active(), unsampled), () => target.recordOrderExecution(ORDER, 0.01));
    expect(await target.metrics({ openMetrics: true })).not.toContain('trace_id');
    target.close();
    const disabled = create(false);
    const span = tracing.sampled.startSpan('sampled');
    context.with(trace.setSpan(context.active(), span), () => disabled.recordOrderExecution(ORDER, 0.01));
    expect(await disabled.metrics({ openMetrics: true })).not.toContain('trace_id');
  });

  it('links operation runs measured through @jts/core to the span active in the run', async () => {
    const target = create();
    const span = tracing.sampled.startSpan('order run');
    await context.with(trace.setSpan(context.active(), span), () =>
      orderExecution.run({ ...ORDER, orderId: 'o-1' }, async () => 'ok'),
    );
    const parsed = parseExposition(await target.metrics({ openMetrics: true }));
    const bucket = parsed.samples.find(
      (sample) => sample.name === 'order_execution_duration_seconds_bucket' && sample.exemplar,
    );
    expect(bucket?.exemplar?.labels.trace_id).toBe(span.spanContext().traceId);
  });

  it('exposes exemplars through prom-client registry.metrics() on an OpenMetrics registry too', async () => {
    const target = create();
    target.registry.setContentType('application/openmetrics-text; version=1.0.0; charset=utf-8' as never);
    const span = tracing.sampled.startSpan('x');
    context.with(trace.setSpan(context.active(), span), () => target.recordOrderExecution(ORDER, 0.2));
    const text = await target.registry.metrics();
    expect(text).toContain(`trace_id="${span.spanContext().traceId}"`);
    expect(parseExposition(text).types.get('order_execution')).toBe('counter');
    expect(text).toMatch(/^order_execution_total\{.*\} 1 # \{/m);
  });
});
