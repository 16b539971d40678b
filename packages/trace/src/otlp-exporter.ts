import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { IExportTraceServiceResponse, IExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import { sdkModules } from './internal/sdk-modules.js';

// What @opentelemetry/otlp-transformer exports as TraceExporterMetricsHelper (its index is not loaded).
const TraceExporterMetricsHelper: IExporterMetricsHelper<ReadableSpan[]> = { name: 'span', countItems: (spans) => spans.length };

/** Options of the OTLP/HTTP (JSON) span exporter; unset fields fall back to the SDK's `OTEL_EXPORTER_OTLP_*` variables. */
export interface OtlpExporterOptions {
  /** Full traces URL. Default: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, or `http://localhost:4318/v1/traces`. */
  readonly url?: string;
  /** Extra HTTP headers (e.g. an API key). Default: `OTEL_EXPORTER_OTLP_(TRACES_)HEADERS`. */
  readonly headers?: Record<string, string>;
  /** Per-export deadline, retries included. Default: `OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT` or 10000. */
  readonly timeoutMillis?: number;
  /** Exports in flight at once; more fail fast (counted as dropped). Default 30. */
  readonly concurrencyLimit?: number;
  /** Sockets to the collector at most. Default 4. */
  readonly maxSockets?: number;
}

/** An exporter plus the count of spans the collector rejected in its latest answer. @internal */
export interface CountedOtlpExporter {
  readonly exporter: SpanExporter;
  /** Returns and resets the rejected spans of the response parsed last. */
  readonly takeRejected: () => number;
}

// The exporter's modules load on the first export, not at start-up (about 12 ms of imports).
// The trace JSON serializer is imported alone: the otlp-transformer index also loads the metrics
// and logs serializers, sdk-metrics, sdk-logs and protobuf code (about 25 ms) we never use.
async function loadExporter(options: OtlpExporterOptions, onRejected: (count: number) => void): Promise<SpanExporter> {
  const [{ OTLPExporterBase }, { convertLegacyHttpOptions, createOtlpHttpExportDelegate }, { JsonTraceSerializer }] = await Promise.all([
    import('@opentelemetry/otlp-exporter-base'),
    import('@opentelemetry/otlp-exporter-base/node-http'),
    import('@opentelemetry/otlp-transformer/build/src/trace/json/index.js'),
  ]);
  const serializer = {
    serializeRequest: (spans: ReadableSpan[]) => JsonTraceSerializer.serializeRequest(spans),
    deserializeResponse(data: Uint8Array): IExportTraceServiceResponse {
      const response = JsonTraceSerializer.deserializeResponse(data);
      const count = Number(response?.partialSuccess?.rejectedSpans ?? 0);
      if (Number.isFinite(count) && count > 0) onRejected(count);
      return response;
    },
  };
  const configuration = convertLegacyHttpOptions(
    {
      ...(options.url !== undefined && { url: options.url }),
      ...(options.headers !== undefined && { headers: options.headers }),
      ...(options.timeoutMillis !== undefined && { timeoutMillis: options.timeoutMillis }),
      ...(options.concurrencyLimit !== undefined && { concurrencyLimit: options.concurrencyLimit }),
      httpAgentOptions: { keepAlive: true, maxSockets: options.maxSockets ?? 4 },
    },
    'TRACES',
    'v1/traces',
    { 'Content-Type': 'application/json' },
  );
  const delegate = createOtlpHttpExportDelegate(configuration, serializer, 'otlp_http_json_span_exporter', TraceExporterMetricsHelper, undefined);
  return new OTLPExporterBase<ReadableSpan[]>(delegate) as unknown as SpanExporter;
}

/**
 * Builds the OTLP/HTTP JSON span exporter the way `@opentelemetry/exporter-trace-otlp-http`
 * does (same factories, retries, `Retry-After` handling and `OTEL_*` variables), with a response
 * parser that also reads `partialSuccess.rejectedSpans` so rejected spans can be counted.
 *
 * @param options - endpoint, headers, timeout, limits
 * @returns the exporter and its rejected-span source
 * @internal
 */
export function createOtlpExporter(options: OtlpExporterOptions = {}): CountedOtlpExporter {
  let rejected = 0;
  let loaded: SpanExporter | undefined;
  let loading: Promise<SpanExporter> | undefined;
  const load = () => {
    loading ??= loadExporter(options, (count) => {
      rejected += count;
    }).then((exporter) => (loaded = exporter));
    return loading;
  };
  const exporter: SpanExporter = {
    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
      if (loaded !== undefined) {
        loaded.export(spans, resultCallback);
        return;
      }
      load().then(
        (ready) => ready.export(spans, resultCallback),
        (error: unknown) => resultCallback({ code: sdkModules().core.ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
      );
    },
    // Nothing was ever exported: nothing to flush, nothing to load.
    forceFlush: async () => {
      if (loading !== undefined) await (await loading).forceFlush?.();
    },
    shutdown: async () => {
      if (loading !== undefined) await (await loading).shutdown();
    },
  };
  return {
    exporter,
    takeRejected: () => {
      const taken = rejected;
      rejected = 0;
      return taken;
    },
  };
}
