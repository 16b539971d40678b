// The parts a service wires by hand today, shared by the hand-wired and the spec-pattern stacks:
// the OpenTelemetry Node SDK (AsyncLocalStorage context manager, W3C propagators, a batch processor
// to the counting exporter, a parent-based sampler) and a pino logger writing the same ECS line as
// @jts/log to a file.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import pino, { type Logger } from 'pino';
import { CountingExporter, SERVICE_NAME } from './orders.js';

/** The tracer provider, registered globally, and its exporter. */
export function startOtel(sampled: boolean) {
  const exporter = new CountingExporter();
  const root = sampled ? new AlwaysOnSampler() : new AlwaysOffSampler();
  const provider = new NodeTracerProvider({
    sampler: new ParentBasedSampler({ root }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register(); // AsyncLocalStorageContextManager + W3C trace context and baggage
  return { exporter, provider, tracer: trace.getTracer(SERVICE_NAME) };
}

const NO_TRACE = Object.freeze({});
/** pino `mixin`: the IDs of the active span on every line. */
const traceMixin = () => {
  const span = trace.getSpan(context.active());
  if (span === undefined) return NO_TRACE;
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext)
    ? { 'trace.id': spanContext.traceId, 'span.id': spanContext.spanId }
    : NO_TRACE;
};

/**
 * pino writing ECS keys to `<directory>/orders.log` through an asynchronous sonic-boom (pino's
 * usual `pino.destination({ sync: false })`).
 *
 * @param directory - where the file goes
 * @param withTraceMixin - add the active span's IDs to every line through a `mixin`
 * @returns the logger, its file, and functions that wait for its writes and close it
 */
export function startPino(directory: string, withTraceMixin: boolean) {
  const file = join(directory, 'orders.log');
  const destination = pino.destination({ dest: file, sync: false });
  const logger: Logger = pino(
    {
      messageKey: 'message',
      base: {
        'service.name': SERVICE_NAME,
        'service.environment': 'development',
        'ecs.version': '8.11.0',
        'process.pid': process.pid,
        'host.hostname': hostname(),
      },
      timestamp: () => `,"@timestamp":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ 'log.level': label }) },
      ...(withTraceMixin && { mixin: traceMixin }),
    },
    destination,
  );
  const state = destination as unknown as { _writing: boolean; _len: number };
  /** Resolves once every line handed to the destination is written (sonic-boom's flush(cb) does not wait with minLength 0). */
  const drained = async () => {
    const deadline = Date.now() + 10_000;
    while (state._writing || state._len > 0) {
      if (Date.now() > deadline) throw new Error(`pino destination did not drain (${state._len} characters pending)`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  const close = async () => {
    await drained();
    await new Promise((resolve) => {
      destination.once('close', resolve);
      destination.end();
    });
  };
  return { logger, file, drained, close };
}
