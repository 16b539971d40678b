import { createRequire } from 'node:module';

/** The sampled span active where an observation is made. */
export interface ActiveSpanIds {
  readonly traceId: string;
  readonly spanId: string;
  /** Milliseconds since the epoch when the span was read (one clock read per recorder call). */
  readonly time: number;
}

interface OtelApi {
  trace: {
    getSpan(context: unknown): { spanContext(): { traceId: string; spanId: string; traceFlags: number } } | undefined;
  };
  context: { active(): unknown };
}

let api: OtelApi | null | undefined;

/**
 * Loads `@opentelemetry/api` on first use (an optional peer): `null` when it is not installed.
 *
 * @internal
 */
export function loadOpenTelemetryApi(): OtelApi | null {
  if (api !== undefined) return api;
  try {
    api = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
  } catch {
    api = null;
  }
  return api;
}

/**
 * Returns a reader of the active sampled span, or undefined when OpenTelemetry is absent.
 * Reading costs one context lookup; unsampled and invalid spans give undefined.
 *
 * @internal
 */
export function createSpanReader(): (() => ActiveSpanIds | undefined) | undefined {
  const otel = loadOpenTelemetryApi();
  if (otel === null) return undefined;
  const { trace, context } = otel;
  return () => {
    const span = trace.getSpan(context.active());
    if (span === undefined) return undefined;
    const ids = span.spanContext();
    if ((ids.traceFlags & 1) !== 1) return undefined;
    return { traceId: ids.traceId, spanId: ids.spanId, time: Date.now() };
  };
}
