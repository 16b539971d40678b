import type { Attributes } from '@opentelemetry/api';
import type { Sampler, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OperationName, RedactionPolicy, ServiceInfoOptions } from '@jts/core';
import type { OtlpExporterOptions } from './otlp-exporter.js';
import type { SamplingRules } from './sampling-rules.js';

/** Limits of the BatchSpanProcessor; unset fields fall back to the SDK's `OTEL_BSP_*` variables. */
export interface BatchOptions {
  /** Spans kept while the collector is slow or away; more are dropped (counted). `OTEL_BSP_MAX_QUEUE_SIZE`, default 2048. */
  readonly maxQueueSize?: number;
  /** Spans per export. `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`, default 512. */
  readonly maxExportBatchSize?: number;
  /** Delay between exports. `OTEL_BSP_SCHEDULE_DELAY`, default 5000 ms. */
  readonly scheduledDelayMillis?: number;
  /** How long one export may take before the processor moves on. `OTEL_BSP_EXPORT_TIMEOUT`, default 30000 ms. */
  readonly exportTimeoutMillis?: number;
}

/** Options of {@link initTracing}. Option > environment variable > default; empty variables count as unset. */
export interface TracingOptions extends ServiceInfoOptions {
  /** Turn tracing off (no provider, no subscriptions). Env `OTEL_SDK_DISABLED=true` (the SDK's own). Default true. */
  readonly enabled?: boolean;
  /** OTLP/HTTP endpoint, headers, timeout, limits. Env: the SDK's `OTEL_EXPORTER_OTLP_*`. */
  readonly otlp?: OtlpExporterOptions;
  /** Any exporter instead of OTLP/HTTP (e.g. `InMemorySpanExporter` in tests). */
  readonly exporter?: SpanExporter;
  /** Batch processor limits. Env: the SDK's `OTEL_BSP_*`. */
  readonly batch?: BatchOptions;
  /**
   * Sampling rules per operation (merged over the defaults) or a whole Sampler. Env
   * `JTS_TRACE_SAMPLING_RULES`. Default: order.execution and risk.check always,
   * market_data.processing 0.1%, the rest parent-based with new traces sampled. When neither is
   * set and `OTEL_TRACES_SAMPLER` is, the SDK's sampler from that variable is used.
   */
  readonly sampling?: SamplingRules | Sampler;
  /** Redaction policy for span attributes, or false to turn it off. Env `JTS_TRACE_REDACTION=false`. Default: core's default policy. */
  readonly redaction?: RedactionPolicy | false;
  /** Operations to trace. Default: all six. */
  readonly operations?: readonly OperationName[];
  /** Inject trace headers into every `fetch`. Env `JTS_TRACE_FETCH`. Default true. */
  readonly instrumentFetch?: boolean;
  /** Flush and shut down on SIGTERM/SIGINT, then let the signal end the process. Env `JTS_TRACE_FLUSH_ON_SIGNAL`. Default true. */
  readonly flushOnSignal?: boolean;
  /** Deadline of `shutdown()` (and of the flush on a signal). Env `JTS_TRACE_SHUTDOWN_TIMEOUT_MS`. Default 5000. */
  readonly shutdownTimeoutMillis?: number;
  /** Extra resource attributes (they win over detected ones). */
  readonly resourceAttributes?: Attributes;
  /** Environment to read instead of `process.env` (tests). */
  readonly env?: NodeJS.ProcessEnv;
}
