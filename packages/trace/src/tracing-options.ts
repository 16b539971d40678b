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
  /** Delay between exports in ms. `OTEL_BSP_SCHEDULE_DELAY`, default 5000. */
  readonly scheduledDelayMs?: number;
  /** How long one export may take before the processor moves on, in ms. `OTEL_BSP_EXPORT_TIMEOUT`, default 30000. */
  readonly exportTimeoutMs?: number;
}

/** Options of {@link initTracing}. Option > environment variable > default; empty variables count as unset. */
export interface TracingOptions extends ServiceInfoOptions {
  /** Turn tracing off (no provider, no subscriptions). Env `OTEL_SDK_DISABLED=true` (the SDK's own). Default true. */
  readonly enabled?: boolean;
  /** OTLP/HTTP endpoint, protocol, headers, timeout, limits. Env: `OTEL_EXPORTER_OTLP_*`. */
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
  /** Redaction policy for span names, status messages, attributes and events, or `false` (values are still bounded). Code only, no variable. Default: core's default policy. */
  readonly redaction?: RedactionPolicy | false;
  /** Operations to trace, or false for none. Env `JTS_TRACE_OPERATIONS` (comma-separated, or `false`). Default: all six. */
  readonly operations?: readonly OperationName[] | false;
  /** Inject trace headers into every `fetch`. Env `JTS_TRACE_FETCH`. Default true. */
  readonly instrumentFetch?: boolean;
  /** Flush through core's exit registry on SIGTERM/SIGINT, a fatal error and a drained event loop. Env `JTS_TRACE_FLUSH_ON_EXIT`. Default true. */
  readonly flushOnExit?: boolean;
  /** Deadline of `close()`, `flush()` and the flush on exit, in ms. Env `JTS_TRACE_CLOSE_TIMEOUT_MS`. Default 5000. */
  readonly closeTimeoutMs?: number;
  /** Extra resource attributes (they win over detected ones). */
  readonly resourceAttributes?: Attributes;
  /** Environment to read instead of `process.env` (tests): the `JTS_*` variables and `OTEL_SDK_DISABLED`, `OTEL_TRACES_SAMPLER`, `OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT` and `_PROTOCOL`. */
  readonly env?: NodeJS.ProcessEnv;
}
