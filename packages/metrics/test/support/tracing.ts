import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, trace, type Tracer } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A real OpenTelemetry tracer (in-memory export) registered as the global API provider. */
export interface TestTracing {
  readonly sampled: Tracer;
  readonly unsampled: Tracer;
  readonly exporter: InMemorySpanExporter;
  shutdown(): Promise<void>;
}

/** Registers a global context manager and returns tracers that sample always / never. */
export function startTestTracing(): TestTracing {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    sampler: new AlwaysOnSampler(),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const off = new BasicTracerProvider({ sampler: new AlwaysOffSampler() });
  trace.setGlobalTracerProvider(provider);
  return {
    sampled: provider.getTracer('jts-metrics-test'),
    unsampled: off.getTracer('jts-metrics-test-off'),
    exporter,
    async shutdown() {
      await provider.shutdown();
      await off.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
