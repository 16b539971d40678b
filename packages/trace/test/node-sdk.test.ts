// initTracing beside OpenTelemetry's own NodeSDK, the set-up applications most often bring:
// the application's provider, processors and exporter stay in charge; the operation spans join them.
import { orderExecution } from '@jts/core';
import { context, propagation, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createJtsContextManager, initTracing, traceBrokerApiCall } from '../src/index.js';
import { byName } from './support/in-memory-tracing.js';

let sdk: NodeSDK | undefined;
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
  trace.disable();
  context.disable();
  propagation.disable();
});

function startNodeSdk(options: Partial<ConstructorParameters<typeof NodeSDK>[0]> = {}): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  sdk = new NodeSDK({
    serviceName: 'app-with-node-sdk',
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    instrumentations: [],
    autoDetectResources: false,
    ...options,
  });
  sdk.start();
  return exporter;
}

describe('initTracing with a started NodeSDK', () => {
  it("uses NodeSDK's provider and pipeline, and leaves them running after its own shutdown", async () => {
    const exporter = startNodeSdk();
    const tracing = initTracing({ flushOnExit: false, instrumentFetch: false, env: {} });
    expect(tracing.mode).toBe('existing');
    await orderExecution.run({ orderId: 'sdk-1', symbol: 'AAPL' }, async () => {
      await traceBrokerApiCall({ broker: 'alpaca', endpoint: '/v2/orders' }, async () => undefined);
    });
    await tracing.flush();
    const spans = exporter.getFinishedSpans();
    const order = byName(spans, 'order.execution');
    const broker = byName(spans, 'broker.api_call');
    expect(order.attributes).toMatchObject({ 'trading.order_id': 'sdk-1', 'trading.symbol': 'AAPL' });
    expect(order.resource.attributes['service.name']).toBe('app-with-node-sdk');
    expect(broker.parentSpanContext?.spanId).toBe(order.spanContext().spanId);
    expect(broker.spanContext().traceId).toBe(order.spanContext().traceId);
    expect(tracing.stats().spans).toMatchObject({ started: 2, ended: 2 });
    await tracing.close();
    const after = trace.getTracer('app').startSpan('after');
    expect(after.isRecording()).toBe(true);
    after.end();
    expect(exporter.getFinishedSpans().map((span) => span.name)).toContain('after');
  });

  it('makes the operation span the active one for application code when NodeSDK runs the JTS context manager', async () => {
    const exporter = startNodeSdk({ contextManager: createJtsContextManager() });
    const tracing = initTracing({ flushOnExit: false, instrumentFetch: false, env: {} });
    expect(tracing.mode).toBe('existing');
    const headers: Record<string, string> = {};
    await orderExecution.run({ orderId: 'sdk-2' }, async () => {
      await Promise.resolve();
      trace.getTracer('app').startSpan('app.child').end();
      propagation.inject(context.active(), headers);
    });
    await tracing.flush();
    const spans = exporter.getFinishedSpans();
    const order = byName(spans, 'order.execution');
    expect(byName(spans, 'app.child').parentSpanContext?.spanId).toBe(order.spanContext().spanId);
    // NodeSDK's own W3C propagator carries the operation span out.
    expect(headers.traceparent).toBe(`00-${order.spanContext().traceId}-${order.spanContext().spanId}-01`);
    await tracing.close();
  });
});
