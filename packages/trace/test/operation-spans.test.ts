import {
  type Context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapPropagator,
  TraceFlags,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import {
  currentContext,
  httpServerRequest,
  riskCheck,
  marketDataProcessing,
  orderExecution,
  strategyExecution,
} from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { traceBrokerApiCall } from '../src/index.js';
import { endingSpan } from '../src/internal/ending-span.js';
import { type TestTracing, byName, startTestTracing } from './support/in-memory-tracing.js';

let tracing: TestTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

describe('operation spans', () => {
  it('spans a sync order call with trading attributes and correlation ID', async () => {
    tracing = startTestTracing();
    const result = orderExecution.run(
      { orderId: 'o-1', symbol: 'AAPL', side: 'buy', strategyId: 'mm-1', correlationId: 'corr-12345678' },
      () => 42,
    );
    expect(result).toBe(42);
    const span = byName(await tracing.spans(), 'order.execution');
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.attributes).toMatchObject({
      'trading.order_id': 'o-1',
      'trading.symbol': 'AAPL',
      'trading.side': 'buy',
      'trading.strategy_id': 'mm-1',
      correlation_id: 'corr-12345678',
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("writes a correlation ID core generated as it is, and redacts a caller's ID like any other value", async () => {
    tracing = startTestTracing();
    let generated = '';
    orderExecution.run({ orderId: 'o-g' }, () => {
      generated = currentContext()!.correlationId;
    });
    // A caller's ID that passes for a card number is masked, also when a generated one just ended.
    orderExecution.run({ orderId: 'o-c', correlationId: '4111111111111111' }, () => 1);
    expect(endingSpan.generatedCorrelationId).toBeUndefined();
    // A span of the application's own, ended outside the operations, gets no shortcut either.
    trace
      .getTracer('app')
      .startSpan('own', { attributes: { correlation_id: '4111111111111111' } })
      .end();
    const spans = await tracing.spans();
    const ids = (name: string) =>
      spans.filter((span) => span.name === name).map((span) => span.attributes.correlation_id);
    expect(ids('order.execution')).toEqual([generated, '************1111']);
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids('own')).toEqual(['************1111']);
  });

  it('keeps the span active while the wrapped function runs, across awaits, and nests children', async () => {
    tracing = startTestTracing();
    const seen: Array<string | undefined> = [];
    await strategyExecution.run({ strategyId: 's-1' }, async () => {
      seen.push(trace.getActiveSpan()?.spanContext().spanId);
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(trace.getActiveSpan()?.spanContext().spanId);
      await orderExecution.run({ orderId: 'o-2' }, async () => {
        await Promise.resolve();
        await riskCheck.run({}, () => {
          seen.push(trace.getActiveSpan()?.spanContext().spanId);
          expect(currentContext()?.fields.strategyId).toBe('s-1');
        });
      });
    });
    const spans = await tracing.spans();
    const strategy = byName(spans, 'strategy.execution');
    const order = byName(spans, 'order.execution');
    const risk = byName(spans, 'risk.check');
    expect(seen[0]).toBe(strategy.spanContext().spanId);
    expect(seen[1]).toBe(strategy.spanContext().spanId);
    expect(seen[2]).toBe(risk.spanContext().spanId);
    expect(order.parentSpanContext?.spanId).toBe(strategy.spanContext().spanId);
    expect(risk.parentSpanContext?.spanId).toBe(order.spanContext().spanId);
    expect(new Set([strategy, order, risk].map((span) => span.spanContext().traceId)).size).toBe(1);
    expect(risk.attributes['trading.strategy_id']).toBe('s-1');
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('ends an async span when its promise settles, not when it returns', async () => {
    tracing = startTestTracing();
    const started = Date.now();
    await orderExecution.run({ orderId: 'o-3' }, () => new Promise((resolve) => setTimeout(resolve, 30)));
    const span = byName(await tracing.spans(), 'order.execution');
    const durationMs = span.duration[0] * 1e3 + span.duration[1] / 1e6;
    expect(durationMs).toBeGreaterThanOrEqual(25);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('records sync and async exceptions with ERROR status and error.type, rethrowing them unchanged', async () => {
    tracing = startTestTracing();
    const syncError = new TypeError('bad order');
    expect(() =>
      orderExecution.run({ orderId: 'o-4' }, () => {
        throw syncError;
      }),
    ).toThrow(syncError);
    const asyncError = Object.assign(new Error('broker down'), { code: 'ECONNRESET' });
    await expect(
      traceBrokerApiCall({ broker: 'ibkr' }, async () => {
        throw asyncError;
      }),
    ).rejects.toBe(asyncError);
    const spans = await tracing.spans();
    const order = byName(spans, 'order.execution');
    expect(order.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad order' });
    expect(order.attributes['error.type']).toBe('TypeError');
    expect(order.events.map((event) => event.name)).toEqual(['exception']);
    expect(order.events[0]?.attributes?.['exception.message']).toBe('bad order');
    const broker = byName(spans, 'broker.api_call');
    expect(broker.kind).toBe(SpanKind.CLIENT);
    expect(broker.status.code).toBe(SpanStatusCode.ERROR);
    expect(broker.attributes['error.type']).toBe('ECONNRESET');
  });

  it('reports a non-exception outcome set with setOutcome', async () => {
    tracing = startTestTracing();
    await orderExecution.run({ orderId: 'o-5' }, async (scope) => {
      await Promise.resolve();
      scope.setOutcome('rejected', 'insufficient_margin');
    });
    const span = byName(await tracing.spans(), 'order.execution');
    expect(span.attributes['jts.operation.outcome']).toBe('rejected');
    // A business outcome is not an error (OUTCOME_SIGNALS.business): its classifier is the reason.
    expect(span.attributes['jts.operation.reason']).toBe('insufficient_margin');
    expect(span.attributes['error.type']).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('ends an async span when its promise settles even if setOutcome came before the first await', async () => {
    tracing = startTestTracing();
    await orderExecution.run({ orderId: 'o-6' }, async (scope) => {
      scope.setOutcome('rejected', 'risk_limit');
      await new Promise((resolve) => setTimeout(resolve, 30));
    });
    const span = byName(await tracing.spans(), 'order.execution');
    const millis = (span.duration[0] * 1e9 + span.duration[1]) / 1e6;
    expect(millis).toBeGreaterThanOrEqual(29);
    expect(span.attributes['jts.operation.outcome']).toBe('rejected');
  });

  it('makes http.server.request a SERVER span continuing the incoming traceparent', async () => {
    tracing = startTestTracing();
    const attributes = {
      method: 'get',
      route: '/orders/:id',
      url: '/orders/7?verbose=1',
      headers: {
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        tracestate: 'congo=t61rcWkgMzE',
        'user-agent': 'curl/8',
        'x-correlation-id': 'corr-abcdefgh',
      },
    };
    const inner = httpServerRequest.run(attributes, (scope) => {
      scope.setAttributes({ statusCode: 503 });
      return trace.getActiveSpan()?.spanContext();
    });
    const span = byName(await tracing.spans(), 'GET /orders/:id');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span.parentSpanContext?.isRemote).toBe(true);
    expect(span.spanContext().traceState?.get('congo')).toBe('t61rcWkgMzE');
    expect(inner?.spanId).toBe(span.spanContext().spanId);
    expect(span.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.request.method_original': 'get',
      'http.route': '/orders/:id',
      'url.path': '/orders/7',
      'url.query': 'verbose=1',
      'url.scheme': 'http',
      'user_agent.original': 'curl/8',
      'http.response.status_code': 503,
      'error.type': '503',
    });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("extracts the caller's baggage with no traceparent", async () => {
    tracing = startTestTracing();
    const seen = httpServerRequest.run(
      { method: 'GET', url: '/orders/7', headers: { baggage: 'desk=fx,book=b-1' } },
      () => propagation.getBaggage(context.active())?.getEntry('desk')?.value,
    );
    expect(seen).toBe('fx');
    expect(byName(await tracing.spans(), 'GET').parentSpanContext).toBeUndefined();
  });

  it("uses the application's propagator for requests that carry no traceparent", async () => {
    // A propagator of the application's (a B3-like single header), registered before initTracing:
    // initTracing then registers none of its own, and every request goes through this one.
    const parentSpan = {
      traceId: 'c'.repeat(32),
      spanId: 'd'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    };
    const custom: TextMapPropagator = {
      inject: () => undefined,
      extract: (base: Context, carrier: unknown, getter: TextMapGetter) =>
        getter.get(carrier, 'x-parent') === 'yes' ? trace.setSpanContext(base, parentSpan) : base,
      fields: () => ['x-parent'],
    };
    expect(propagation.setGlobalPropagator(custom)).toBe(true);
    try {
      tracing = startTestTracing();
      httpServerRequest.run({ method: 'GET', url: '/orders/8', headers: { 'x-parent': 'yes' } }, () => undefined);
      const span = byName(await tracing.spans(), 'GET');
      expect(span.spanContext().traceId).toBe(parentSpan.traceId);
      expect(span.parentSpanContext?.spanId).toBe(parentSpan.spanId);
    } finally {
      propagation.disable();
    }
    // Ours again once the application's is gone: the same request starts a trace of its own.
    await tracing.shutdown();
    tracing = startTestTracing();
    httpServerRequest.run({ method: 'GET', url: '/orders/9', headers: { 'x-parent': 'yes' } }, () => undefined);
    expect(byName(await tracing.spans(), 'GET').parentSpanContext).toBeUndefined();
    expect(trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { 'x-parent': 'yes' }))).toBeUndefined();
  });

  it('starts a new trace for a request with an invalid traceparent and keeps 4xx unset on servers', async () => {
    tracing = startTestTracing();
    const attributes: Record<string, unknown> = {
      method: 'BREW',
      url: '/pot',
      headers: { traceparent: 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    };
    httpServerRequest.run(attributes, () => {
      attributes.statusCode = 418;
    });
    const span = byName(await tracing.spans(), 'HTTP');
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span.attributes['http.request.method']).toBe('_OTHER');
    expect(span.attributes['http.request.method_original']).toBe('BREW');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('keeps each of many concurrent runs in its own trace with its own correlation ID', async () => {
    tracing = startTestTracing();
    await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        orderExecution.run(
          { orderId: `o-${index}`, correlationId: `corr-${String(index).padStart(8, '0')}` },
          async () => {
            await new Promise((resolve) => setTimeout(resolve, (index * 7) % 13));
            await traceBrokerApiCall({ broker: 'b' }, async (headers) => {
              await Promise.resolve();
              expect(headers['x-correlation-id']).toBe(`corr-${String(index).padStart(8, '0')}`);
            });
          },
        ),
      ),
    );
    const spans = await tracing.spans();
    const orders = spans.filter((span) => span.name === 'order.execution');
    const brokers = spans.filter((span) => span.name === 'broker.api_call');
    expect(orders).toHaveLength(50);
    expect(brokers).toHaveLength(50);
    for (const broker of brokers) {
      const order = orders.find((candidate) => candidate.spanContext().spanId === broker.parentSpanContext?.spanId);
      expect(order).toBeDefined();
      expect(broker.attributes.correlation_id).toBe(order?.attributes.correlation_id);
      expect(broker.attributes['trading.order_id']).toBe(order?.attributes['trading.order_id']);
    }
    expect(new Set(orders.map((span) => span.spanContext().traceId)).size).toBe(50);
  });

  it('samples market data at 0.1% by default while orders are always kept', async () => {
    tracing = startTestTracing();
    for (let index = 0; index < 2000; index++) marketDataProcessing.run({ symbol: 'BTC-USD' }, () => index);
    orderExecution.run({ orderId: 'kept' }, () => undefined);
    const spans = await tracing.spans();
    const marketData = spans.filter((span) => span.name === 'market_data.processing').length;
    expect(marketData).toBeLessThan(20);
    expect(spans.filter((span) => span.name === 'order.execution')).toHaveLength(1);
    expect(tracing.stats().spans.started).toBe(marketData + 1);
  });

  it('does not leave the OpenTelemetry context active after the run', () => {
    tracing = startTestTracing();
    orderExecution.run({ orderId: 'o-x' }, () => undefined);
    expect(trace.getSpan(context.active())).toBeUndefined();
  });
});
