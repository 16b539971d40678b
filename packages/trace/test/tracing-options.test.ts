import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { OPERATION_NAMES, operations, orderExecution, strategyExecution } from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Tracing, type TracingOptions, initTracing } from '../src/index.js';

let tracing: Tracing | undefined;
afterEach(async () => {
  await tracing?.close();
  tracing = undefined;
});

const anySubscribed = () => OPERATION_NAMES.some((name) => operations[name].hasSubscribers);
const exitListeners = () => process.listenerCount('SIGTERM') + process.listenerCount('beforeExit');

/** Calls initTracing expecting a JtsError, and checks that nothing was left registered. */
function expectRejected(options: TracingOptions, message: RegExp) {
  const listenersBefore = exitListeners();
  let thrown: unknown;
  try {
    initTracing({ env: {}, ...options });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toMatchObject({
    name: 'JtsError',
    code: 'JTS_ERR_INVALID_OPTION',
    message: expect.stringMatching(message),
  });
  expect(anySubscribed()).toBe(false);
  expect(exitListeners()).toBe(listenersBefore);
  expect(trace.getTracer('probe').startSpan('x').isRecording()).toBe(false);
}

async function warningsDuring(action: () => void): Promise<Array<{ code?: string; message: string }>> {
  const warnings: Array<{ code?: string; message: string }> = [];
  const onWarning = (warning: Error & { code?: string }) =>
    warnings.push({ code: warning.code, message: warning.message });
  process.on('warning', onWarning);
  try {
    action();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

describe('initTracing options: the one vocabulary', () => {
  it('close() and flush() are the functions, shutdown() and forceFlush() their aliases', async () => {
    tracing = initTracing({ exporter: new InMemorySpanExporter(), flushOnExit: false, env: {} });
    expect(tracing.shutdown).toBe(tracing.close);
    expect(tracing.forceFlush).toBe(tracing.flush);
  });

  it('operations limits the traced operations; false traces none but keeps the tracer', async () => {
    tracing = initTracing({
      exporter: new InMemorySpanExporter(),
      flushOnExit: false,
      env: {},
      operations: ['order.execution'],
    });
    expect(orderExecution.hasSubscribers).toBe(true);
    expect(strategyExecution.hasSubscribers).toBe(false);
    await tracing.close();
    tracing = initTracing({
      exporter: new InMemorySpanExporter(),
      flushOnExit: false,
      env: { JTS_TRACE_OPERATIONS: 'strategy.execution, risk.check' },
    });
    expect(strategyExecution.hasSubscribers).toBe(true);
    expect(orderExecution.hasSubscribers).toBe(false);
    await tracing.close();
    // A closed in-memory exporter keeps nothing: a fresh one for the last case.
    const fresh = new InMemorySpanExporter();
    tracing = initTracing({ exporter: fresh, flushOnExit: false, env: {}, operations: false });
    expect(anySubscribed()).toBe(false);
    tracing.tracer.startSpan('own').end();
    await tracing.flush();
    expect(fresh.getFinishedSpans().map((span) => span.name)).toEqual(['own']);
  });

  it('an unknown operation name is a JtsError naming the option and the name, with nothing left registered', () => {
    expectRejected({ operations: ['order.executon' as never] }, /operations.*"order\.executon".*JTS_TRACE_OPERATIONS/);
    // The first call left nothing behind: tracing starts normally afterwards.
    tracing = initTracing({ exporter: new InMemorySpanExporter(), flushOnExit: false, env: {} });
    expect(tracing.mode).toBe('own');
  });

  it.each([
    ['closeTimeoutMs', { closeTimeoutMs: -1 }, /closeTimeoutMs.*JTS_TRACE_CLOSE_TIMEOUT_MS/],
    [
      'otlp.url without a scheme',
      { otlp: { url: 'collector:4318/v1/traces' } },
      /otlp\.url.*http:\/\/ or https:\/\/.*"collector:4318\/v1\/traces".*OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/,
    ],
    ['otlp.url that is no URL', { otlp: { url: '127.0.0.1:4318' } }, /otlp\.url/],
    [
      'otlp.protocol',
      { otlp: { protocol: 'grpc' as never } },
      /otlp\.protocol.*http\/protobuf or http\/json.*OTEL_EXPORTER_OTLP_TRACES_PROTOCOL/,
    ],
  ])('%s: a bad value is a JtsError naming it, with nothing left registered', (_name, options, message) => {
    expectRejected(options, message);
  });

  it('an endpoint variable without a scheme is a coded warning naming it and where spans go instead', async () => {
    const warnings = await warningsDuring(() => {
      tracing = initTracing({
        flushOnExit: false,
        instrumentFetch: false,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: '127.0.0.1:4999' },
      });
    });
    expect(warnings).toEqual([
      {
        code: 'JTS_WARN_INVALID_ENV',
        message: expect.stringMatching(
          /OTEL_EXPORTER_OTLP_ENDPOINT="127\.0\.0\.1:4999".*did you mean http:\/\/127\.0\.0\.1:4999\?.*http:\/\/localhost:4318\/v1\/traces/,
        ),
      },
    ]);
  });

  it('OTEL_EXPORTER_OTLP_PROTOCOL=grpc is a coded warning naming it; http/protobuf is sent', async () => {
    const warnings = await warningsDuring(() => {
      tracing = initTracing({
        flushOnExit: false,
        instrumentFetch: false,
        env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      });
    });
    expect(warnings).toEqual([
      {
        code: 'JTS_WARN_INVALID_ENV',
        message: expect.stringMatching(/OTEL_EXPORTER_OTLP_PROTOCOL="grpc".*OTLP\/HTTP only.*sending http\/protobuf/),
      },
    ]);
  });

  it('registers one exit flusher with flushOnExit and none without', async () => {
    const before = process.listenerCount('beforeExit');
    tracing = initTracing({ exporter: new InMemorySpanExporter(), env: { JTS_TRACE_FLUSH_ON_EXIT: 'false' } });
    expect(process.listenerCount('beforeExit')).toBe(before);
    await tracing.close();
    tracing = initTracing({ exporter: new InMemorySpanExporter(), env: {} });
    expect(process.listenerCount('beforeExit')).toBe(before === 0 ? 1 : before);
    await tracing.close();
    tracing = undefined;
    expect(process.listenerCount('beforeExit')).toBe(before);
  });
});
