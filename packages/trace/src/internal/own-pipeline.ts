import { type Tracer, trace } from '@opentelemetry/api';
import type { BatchSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { reportDiagnostic, resolveServiceInfo } from '@jts/core';
import { withDeadline } from '@jts/core/internal';
import { createOtlpExporter } from '../otlp-exporter.js';
import { createSpanRedaction } from '../redacting-span-processor.js';
import type { TracingOptions } from '../tracing-options.js';
import { createTracingResource } from '../tracing-resource.js';
import { type StatsCounters, pendingSpans } from '../tracing-stats.js';
import { type CollectorHealth, createCollectorHealth } from './collector-health.js';
import { createCountingExporter } from './counting-exporter.js';
import { createCountingProcessor } from './counting-processor.js';
import { createDropCountingMeterProvider } from './drop-counting-meter.js';
import { createPooledIdGenerator } from './pooled-id-generator.js';
import { registerContextAndPropagation } from './global-registration.js';
import type { TracingSettings } from './resolve-settings.js';
import { sdkModules } from './sdk-modules.js';

/** The provider initTracing registers when the application has none. */
export interface OwnPipeline {
  readonly tracer: Tracer;
  /** Exports everything ended so far, waiting for exports already in flight, within `timeoutMs`. */
  flush(timeoutMs: number): Promise<void>;
  /** Flushes and shuts the provider down within `timeoutMs`; what is still unexported then counts as dropped. */
  close(timeoutMs: number): Promise<void>;
  /** Unregisters the globals this pipeline registered. */
  unregister(): void;
}

/** How long a flush may spend asking whether anything listens at the collector's address. */
const PROBE_MS = 1000;

/**
 * NodeTracerProvider -> counting (+ redaction in onEnding) -> BatchSpanProcessor -> counting exporter ->
 * OTLP/HTTP, registered globally with the JTS context manager and W3C propagators (unless the
 * application registered its own).
 */
export function createOwnPipeline(
  options: TracingOptions,
  settings: TracingSettings,
  env: NodeJS.ProcessEnv,
  counters: StatsCounters,
  tracerName: string,
): OwnPipeline {
  const { traceBase, traceNode } = sdkModules();
  let exporter = options.exporter;
  let takeRejected: (() => number) | undefined;
  let health: CollectorHealth | undefined;
  if (exporter === undefined) {
    const otlp = createOtlpExporter(settings.endpoint, options.otlp);
    exporter = otlp.exporter;
    takeRejected = otlp.takeRejected;
    health = createCollectorHealth(settings.endpoint.url);
  }
  const counted = createCountingExporter(exporter, counters, takeRejected, health);
  const { scheduledDelayMs, exportTimeoutMs, ...limits } = options.batch ?? {};
  const batch = new traceBase.BatchSpanProcessor(counted, {
    ...limits,
    ...(scheduledDelayMs !== undefined && { scheduledDelayMillis: scheduledDelayMs }),
    ...(exportTimeoutMs !== undefined && { exportTimeoutMillis: exportTimeoutMs }),
    // The processor's self-observability hook is the one place its queue-full drops show up.
    selfObsMeterProvider: createDropCountingMeterProvider(counters),
  } as ConstructorParameters<typeof BatchSpanProcessor>[1]);
  // Redaction runs in the counting processor's onEnding: one processor hop per span event, not three.
  // Always in the pipeline: `redaction: false` still bounds names, attributes and events.
  const redaction = createSpanRedaction(options.redaction);
  const processors: SpanProcessor[] = [createCountingProcessor(batch, counters, redaction)];
  const provider = new traceNode.NodeTracerProvider({
    resource: createTracingResource(resolveServiceInfo(options, env), options.resourceAttributes),
    spanProcessors: processors,
    idGenerator: createPooledIdGenerator(),
    ...(settings.sampler !== undefined && { sampler: settings.sampler }),
  });
  trace.setGlobalTracerProvider(provider);
  const unregisterContext = registerContextAndPropagation();

  // Before waiting for an export, ask once whether anything listens: OpenTelemetry's exporter
  // retries a refused connection with backoff for its whole timeout (10 s), so a process without a
  // collector would wait the full deadline, then linger on the retry timers. A refusal drops the
  // pending spans at once (counted and reported); any other answer lets the export run.
  let closing = false;
  const unlessNobodyListens = async (timeoutMs: number) => {
    if (health === undefined || health.state() === 'up' || pendingSpans(counters) === 0) return;
    if (await health.refuses(Math.min(PROBE_MS, timeoutMs), pendingSpans(counters))) counted.failFast = true;
  };
  return {
    tracer: provider.getTracer(tracerName),
    async flush(timeoutMs) {
      const started = Date.now();
      await unlessNobodyListens(timeoutMs);
      // The batch processor's flush does not wait for an export already in flight; the exporter's does.
      const flushed = (async () => {
        await provider.forceFlush();
        await counted.forceFlush?.();
      })();
      await withDeadline(flushed, timeoutMs - (Date.now() - started));
      // Only for this flush: the collector may come up later. A close in progress keeps it.
      if (!closing) counted.failFast = false;
    },
    async close(timeoutMs) {
      closing = true;
      const started = Date.now();
      await unlessNobodyListens(timeoutMs);
      await withDeadline(provider.shutdown(), timeoutMs - (Date.now() - started));
      // The final count: whatever has not been answered now never will be for these stats.
      const lost = pendingSpans(counters);
      counted.seal();
      if (lost > 0) {
        counters.dropped += lost;
        reportDiagnostic({
          source: '@jts/trace',
          event: 'close_deadline_passed',
          message: `${lost} span(s) not exported within closeTimeoutMs (${timeoutMs} ms) are counted as dropped`,
        });
      }
    },
    unregister() {
      trace.disable();
      unregisterContext();
    },
  };
}
