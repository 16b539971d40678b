import type * as OpenTelemetryApi from '@opentelemetry/api';
import { optionalRequire } from './optional-require.js';

type Api = typeof OpenTelemetryApi;

// `@opentelemetry/api` is an optional peer: loaded once, on first use, never at import time.
let api: Api | null | undefined;

function loadApi(): Api | null {
  if (api !== undefined) return api;
  api = optionalRequire<Api>('@opentelemetry/api') ?? null;
  return api;
}

/** Produces `,"trace.id":"…","span.id":"…"` for the active OpenTelemetry span, or `''`. */
export interface TraceFragment {
  (): string;
  /** Whether `@opentelemetry/api` could be loaded. */
  readonly available: boolean;
}

/**
 * Builds the per-line trace lookup. Without `@opentelemetry/api` it always returns `''`; with it,
 * the fragment of the last span seen is cached, so consecutive lines of one span cost one lookup.
 *
 * @returns the fragment function
 */
export function createTraceFragment(): TraceFragment {
  const loaded = loadApi();
  if (loaded === null) return Object.assign(() => '', { available: false });
  const { trace, context, isSpanContextValid } = loaded;
  let lastSpan: unknown;
  let lastFragment = '';
  const fragment = (): string => {
    const span = trace.getSpan(context.active());
    if (span === undefined) return '';
    if (span === lastSpan) return lastFragment;
    const spanContext = span.spanContext();
    // A valid span context has lower-case hex IDs only, so the fragment needs no escaping.
    lastFragment = isSpanContextValid(spanContext)
      ? `,"trace.id":"${spanContext.traceId}","span.id":"${spanContext.spanId}"`
      : '';
    lastSpan = span;
    return lastFragment;
  };
  return Object.assign(fragment, { available: true });
}
