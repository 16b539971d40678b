import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { IExportTraceServiceResponse, IExporterMetricsHelper, ISerializer } from '@opentelemetry/otlp-transformer';
import type { OtlpEndpoint, OtlpProtocol } from './internal/resolve-endpoint.js';
import { sdkModules } from './internal/sdk-modules.js';

// What @opentelemetry/otlp-transformer exports as TraceExporterMetricsHelper (its index is not loaded).
const TraceExporterMetricsHelper: IExporterMetricsHelper<ReadableSpan[]> = {
  name: 'span',
  countItems: (spans) => spans.length,
};

/** Options of the OTLP/HTTP span exporter; unset fields fall back to the `OTEL_EXPORTER_OTLP_*` variables. */
export interface OtlpExporterOptions {
  /** Full traces URL (http:// or https://). Default: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, or `http://localhost:4318/v1/traces`. */
  readonly url?: string;
  /** Encoding of the export body. Default: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, `OTEL_EXPORTER_OTLP_PROTOCOL`, or `http/protobuf`. */
  readonly protocol?: OtlpProtocol;
  /** Extra HTTP headers (e.g. an API key). Default: `OTEL_EXPORTER_OTLP_(TRACES_)HEADERS`. */
  readonly headers?: Record<string, string>;
  /** Per-export deadline in ms, retries included. Default: `OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT` or 10000. */
  readonly timeoutMs?: number;
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

type TraceSerializer = ISerializer<ReadableSpan[], IExportTraceServiceResponse>;

// Only the serializer of the chosen encoding is loaded: the otlp-transformer index would also load
// the metrics and logs serializers, sdk-metrics and sdk-logs (about 25 ms) that tracing never uses.
async function loadSerializer(protocol: OtlpProtocol): Promise<TraceSerializer> {
  if (protocol === 'http/json')
    return (await import('@opentelemetry/otlp-transformer/build/src/trace/json/index.js')).JsonTraceSerializer;
  return (await import('@opentelemetry/otlp-transformer/build/src/trace/protobuf/index.js')).ProtobufTraceSerializer;
}

// The exporter's modules load on the first export, not at start-up (about 12 ms of imports).
async function loadExporter(
  endpoint: OtlpEndpoint,
  options: OtlpExporterOptions,
  onRejected: (count: number) => void,
): Promise<SpanExporter> {
  const [{ OTLPExporterBase }, { convertLegacyHttpOptions, createOtlpHttpExportDelegate }, inner] = await Promise.all([
    import('@opentelemetry/otlp-exporter-base'),
    import('@opentelemetry/otlp-exporter-base/node-http'),
    loadSerializer(endpoint.protocol),
  ]);
  // Both encodings' responses carry partialSuccess.rejectedSpans (a number after protobuf
  // decoding, a string or number in JSON): read it here, where the SDK's own handler only logs it.
  const serializer: TraceSerializer = {
    serializeRequest: (spans) => inner.serializeRequest(spans),
    deserializeResponse(data) {
      const response = inner.deserializeResponse(data);
      const count = Number(response?.partialSuccess?.rejectedSpans ?? 0);
      if (Number.isFinite(count) && count > 0) onRejected(count);
      return response;
    },
  };
  const json = endpoint.protocol === 'http/json';
  const configuration = convertLegacyHttpOptions(
    {
      url: endpoint.url,
      ...(options.headers !== undefined && { headers: options.headers }),
      ...(options.timeoutMs !== undefined && { timeoutMillis: options.timeoutMs }),
      ...(options.concurrencyLimit !== undefined && { concurrencyLimit: options.concurrencyLimit }),
      httpAgentOptions: { keepAlive: true, maxSockets: options.maxSockets ?? 4 },
    },
    'TRACES',
    'v1/traces',
    { 'Content-Type': json ? 'application/json' : 'application/x-protobuf' },
  );
  const component = json ? 'otlp_http_json_span_exporter' : 'otlp_http_span_exporter';
  const delegate = createOtlpHttpExportDelegate(
    configuration,
    serializer,
    component,
    TraceExporterMetricsHelper,
    undefined,
  );
  return new OTLPExporterBase<ReadableSpan[]>(delegate) as unknown as SpanExporter;
}

/**
 * Builds the OTLP/HTTP span exporter the way `@opentelemetry/exporter-trace-otlp-proto` and
 * `-http` do (same factories, retries, `Retry-After` handling, serializers and `OTEL_*`
 * variables), with a response parser that also reads `partialSuccess.rejectedSpans` so rejected
 * spans can be counted: those packages hand the response to a handler that only logs it.
 *
 * @param endpoint - resolved URL and encoding
 * @param options - headers, timeout, limits
 * @returns the exporter and its rejected-span source
 * @internal
 */
export function createOtlpExporter(endpoint: OtlpEndpoint, options: OtlpExporterOptions = {}): CountedOtlpExporter {
  let rejected = 0;
  let loaded: SpanExporter | undefined;
  let loading: Promise<SpanExporter> | undefined;
  const load = () => {
    loading ??= loadExporter(endpoint, options, (count) => {
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
        (error: unknown) =>
          resultCallback({
            code: sdkModules().core.ExportResultCode.FAILED,
            error: error instanceof Error ? error : new Error(String(error)),
          }),
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
