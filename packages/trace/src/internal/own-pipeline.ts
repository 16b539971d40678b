import { type Tracer, trace } from '@opentelemetry/api';
import type { BatchSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resolveServiceInfo } from '@jts/core';
import { createOtlpExporter } from '../otlp-exporter.js';
import { createSpanRedaction } from '../redacting-span-processor.js';
import type { TracingOptions } from '../tracing-options.js';
import { createTracingResource } from '../tracing-resource.js';
import type { StatsCounters } from '../tracing-stats.js';
import { createCountingExporter } from './counting-exporter.js';
import { createCountingProcessor } from './counting-processor.js';
import { createDropCountingMeterProvider } from './drop-counting-meter.js';
import { registerContextAndPropagation } from './global-registration.js';
import { sdkModules } from './sdk-modules.js';
import type { TracingSettings } from './resolve-settings.js';

/** The provider initTracing registers when the application has none. */
export interface OwnPipeline {
  readonly tracer: Tracer;
  /** Exports everything ended so far, waiting for exports already in flight. */
  flush(): Promise<void>;
  /** Flushes, shuts the provider down. */
  shutdown(): Promise<void>;
  /** Unregisters the globals this pipeline registered. */
  unregister(): void;
}

/**
 * NodeTracerProvider -> counting (+ redaction in onEnding) -> BatchSpanProcessor -> counting exporter ->
 * OTLP/HTTP, registered globally with the JTS context manager and W3C propagators (unless the
 * application registered its own).
 */
export function createOwnPipeline(options: TracingOptions, settings: TracingSettings, env: NodeJS.ProcessEnv, counters: StatsCounters, tracerName: string): OwnPipeline {
  const { traceBase, traceNode } = sdkModules();
  let exporter = options.exporter;
  let takeRejected: (() => number) | undefined;
  if (exporter === undefined) {
    const otlp = createOtlpExporter(options.otlp);
    exporter = otlp.exporter;
    takeRejected = otlp.takeRejected;
  }
  const counted = createCountingExporter(exporter, counters, takeRejected);
  const batch = new traceBase.BatchSpanProcessor(counted, {
    ...options.batch,
    // The processor's self-observability hook is the one place its queue-full drops show up.
    selfObsMeterProvider: createDropCountingMeterProvider(counters),
  } as ConstructorParameters<typeof BatchSpanProcessor>[1]);
  // Redaction runs in the counting processor's onEnding: one processor hop per span event, not three.
  const redaction = settings.redaction ? createSpanRedaction(options.redaction || undefined) : undefined;
  const processors: SpanProcessor[] = [createCountingProcessor(batch, counters, redaction)];
  const provider = new traceNode.NodeTracerProvider({
    resource: createTracingResource(resolveServiceInfo(options, env), options.resourceAttributes),
    spanProcessors: processors,
    ...(settings.sampler !== undefined && { sampler: settings.sampler }),
  });
  trace.setGlobalTracerProvider(provider);
  const unregisterContext = registerContextAndPropagation();
  return {
    tracer: provider.getTracer(tracerName),
    // The batch processor's flush does not wait for an export already in flight; the exporter's does.
    async flush() {
      await provider.forceFlush();
      await counted.forceFlush?.();
    },
    shutdown: () => provider.shutdown(),
    unregister() {
      trace.disable();
      unregisterContext();
    },
  };
}
