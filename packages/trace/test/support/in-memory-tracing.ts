import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { type Tracing, type TracingOptions, initTracing } from '../../src/index.js';

export interface TestTracing extends Tracing {
  readonly exporter: InMemorySpanExporter;
  /** Flushes, then returns every exported span. */
  spans(): Promise<ReadableSpan[]>;
}

/** initTracing with an in-memory exporter, no signal handlers and a quiet environment. */
export function startTestTracing(options: TracingOptions = {}): TestTracing {
  const exporter = new InMemorySpanExporter();
  const tracing = initTracing({ exporter, flushOnExit: false, serviceName: 'trace-test', env: {}, ...options });
  return {
    ...tracing,
    exporter,
    async spans() {
      await tracing.flush();
      return exporter.getFinishedSpans();
    },
  };
}

export const byName = (spans: readonly ReadableSpan[], name: string): ReadableSpan => {
  const span = spans.find((candidate) => candidate.name === name);
  if (span === undefined)
    throw new Error(`no span named ${name} in ${spans.map((candidate) => candidate.name).join(', ')}`);
  return span;
};
