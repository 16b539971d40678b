import { context, propagation, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { onDiagnostic, orderExecution, strategyExecution } from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { initTracing } from '../src/index.js';
import { type TestTracing, byName, startTestTracing } from './support/in-memory-tracing.js';

let tracing: TestTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

describe('initTracing', () => {
  it('registers its provider, context manager and propagator, and unregisters them on shutdown', async () => {
    tracing = startTestTracing();
    expect(tracing.mode).toBe('own');
    expect(orderExecution.hasSubscribers).toBe(true);
    const headers: Record<string, string> = {};
    orderExecution.run({}, () => propagation.inject(context.active(), headers));
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await tracing.close();
    tracing = undefined;
    expect(orderExecution.hasSubscribers).toBe(false);
    const after: Record<string, string> = {};
    orderExecution.run({}, () => propagation.inject(context.active(), after));
    expect(after).toEqual({});
    expect(trace.getTracer('x').startSpan('y').isRecording()).toBe(false);
  });

  it('sets service, environment, host and process resource attributes', async () => {
    tracing = startTestTracing({
      serviceName: 'order-service',
      serviceVersion: '1.2.3',
      environment: 'staging',
      resourceAttributes: { 'k8s.pod.name': 'p-1' },
    });
    orderExecution.run({}, () => undefined);
    const { resource } = byName(await tracing.spans(), 'order.execution');
    expect(resource.attributes).toMatchObject({
      'service.name': 'order-service',
      'service.version': '1.2.3',
      'deployment.environment.name': 'staging',
      'process.pid': process.pid,
      'process.runtime.name': 'nodejs',
      'k8s.pod.name': 'p-1',
      'telemetry.sdk.language': 'nodejs',
    });
    expect(typeof resource.attributes['host.name']).toBe('string');
  });

  it('counts started, ended and exported spans', async () => {
    tracing = startTestTracing();
    for (let index = 0; index < 5; index++) orderExecution.run({}, () => undefined);
    const span = tracing.tracer.startSpan('open');
    await tracing.flush();
    expect(tracing.stats()).toEqual({
      spans: { started: 6, ended: 5, exported: 5, dropped: 0, rejected: 0 },
      exports: { failed: 0 },
    });
    span.end();
  });

  it('counts spans dropped because the queue is full', async () => {
    // An exporter that answers only when released keeps the processor busy, so the queue fills.
    const waiting: Array<() => void> = [];
    const exported: ReadableSpan[] = [];
    const exporter: SpanExporter = {
      export(spans, done) {
        waiting.push(() => {
          exported.push(...spans);
          done({ code: ExportResultCode.SUCCESS });
        });
      },
      shutdown: async () => {},
    };
    const gated = initTracing({
      exporter,
      flushOnExit: false,
      env: {},
      batch: { maxQueueSize: 10, maxExportBatchSize: 5, scheduledDelayMs: 60_000 },
    });
    try {
      for (let index = 0; index < 25; index++) strategyExecution.run({}, () => undefined);
      // 5 went out in the first (held) export, 10 wait in the queue, 10 were dropped.
      expect(gated.stats().spans).toMatchObject({ ended: 25, dropped: 10, exported: 0 });
      const flushed = gated.flush();
      while (waiting.length > 0 || exported.length < 15) {
        waiting.shift()?.();
        await new Promise((resolve) => setImmediate(resolve));
      }
      await flushed;
      expect(gated.stats().spans).toMatchObject({ ended: 25, dropped: 10, exported: 15 });
    } finally {
      const closing = gated.close();
      while (waiting.length > 0) waiting.shift()?.();
      await closing;
    }
  });

  it('never lets a failing sampler break the traced function, and reports it', async () => {
    const events: string[] = [];
    const stop = onDiagnostic((diagnostic) => events.push(`${diagnostic.source}:${diagnostic.event}`));
    try {
      const sampler = {
        shouldSample: () => {
          throw new Error('broken sampler');
        },
        toString: () => 'broken',
      };
      tracing = startTestTracing({ sampling: sampler });
      expect(orderExecution.run({ orderId: 'o' }, () => 7)).toBe(7);
      await expect(orderExecution.run({ orderId: 'o' }, async () => 8)).resolves.toBe(8);
      expect(events).toContain('trace:run_bind_failed');
      expect(await tracing.spans()).toHaveLength(0);
    } finally {
      stop();
    }
  });

  it('throws JTS_ERR_TRACING_ACTIVE on a second call while the first is active', () => {
    tracing = startTestTracing();
    expect(() => initTracing({ exporter: new InMemorySpanExporter(), flushOnExit: false })).toThrowError(
      expect.objectContaining({ code: 'JTS_ERR_TRACING_ACTIVE' }),
    );
  });

  it('throws JTS_ERR_INVALID_OPTION for a bad option', () => {
    expect(() => initTracing({ closeTimeoutMs: -1, flushOnExit: false })).toThrowError(
      expect.objectContaining({
        code: 'JTS_ERR_INVALID_OPTION',
        message: expect.stringContaining('JTS_TRACE_CLOSE_TIMEOUT_MS'),
      }),
    );
    expect(() => initTracing({ sampling: { 'market_data.processing': 5 }, flushOnExit: false })).toThrowError(
      expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION' }),
    );
  });

  it('does nothing when OTEL_SDK_DISABLED=true or enabled: false', async () => {
    for (const options of [{ env: { OTEL_SDK_DISABLED: 'true' } }, { enabled: false }]) {
      const disabled = initTracing({ exporter: new InMemorySpanExporter(), flushOnExit: false, ...options });
      expect(disabled.mode).toBe('disabled');
      expect(orderExecution.hasSubscribers).toBe(false);
      orderExecution.run({}, () => expect(trace.getActiveSpan()).toBeUndefined());
      expect(disabled.stats().spans.started).toBe(0);
      await disabled.close();
    }
  });

  it('uses a tracer provider the application registered instead of replacing it', async () => {
    const exporter = new InMemorySpanExporter();
    const appProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    appProvider.register({ contextManager: new AsyncLocalStorageContextManager() });
    try {
      const used = initTracing({ flushOnExit: false, instrumentFetch: false });
      expect(used.mode).toBe('existing');
      const inner: string[] = [];
      await orderExecution.run({ orderId: 'app-1' }, async () => {
        await strategyExecution.run({}, async () => undefined);
        const app = trace.getTracer('app').startSpan('app-span');
        app.end();
        inner.push(app.spanContext().traceId);
      });
      await used.flush();
      const spans = exporter.getFinishedSpans();
      const order = byName(spans, 'order.execution');
      expect(order.attributes['trading.order_id']).toBe('app-1');
      expect(byName(spans, 'strategy.execution').parentSpanContext?.spanId).toBe(order.spanContext().spanId);
      expect(used.stats().spans).toMatchObject({ started: 2, ended: 2 });
      await used.close();
      // The application's provider is still registered and working.
      const after = trace.getTracer('app').startSpan('after');
      expect(after.isRecording()).toBe(true);
      after.end();
    } finally {
      trace.disable();
      context.disable();
      propagation.disable();
      await appProvider.shutdown();
    }
  });

  it('adds its context manager and propagators when the application registered only a provider', async () => {
    const exporter = new InMemorySpanExporter();
    const appProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(appProvider);
    try {
      const used = initTracing({ flushOnExit: false, instrumentFetch: false, env: {} });
      expect(used.mode).toBe('existing');
      const headers: Record<string, string> = {};
      let active: string | undefined;
      orderExecution.run({ orderId: 'p-1' }, () => {
        active = trace.getActiveSpan()?.spanContext().spanId;
        propagation.inject(context.active(), headers);
      });
      const order = byName(exporter.getFinishedSpans(), 'order.execution');
      expect(active).toBe(order.spanContext().spanId);
      expect(headers.traceparent).toContain(order.spanContext().spanId);
      await used.close();
      const after: Record<string, string> = {};
      propagation.inject(context.active(), after);
      expect(after).toEqual({});
    } finally {
      trace.disable();
      await appProvider.shutdown();
    }
  });
});
