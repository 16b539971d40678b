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

// What the API's isSpanContextValid accepts (hex of the right length, not all zeros), as two
// compiled regular expressions instead of its loop over the 48 characters of every new span.
const TRACE_ID = /^[0-9a-f]{32}$/i;
const SPAN_ID = /^[0-9a-f]{16}$/i;
const INVALID_TRACE_ID = '00000000000000000000000000000000';
const INVALID_SPAN_ID = '0000000000000000';
const isValidIds = (traceId: unknown, spanId: unknown): boolean =>
  typeof traceId === 'string' &&
  typeof spanId === 'string' &&
  TRACE_ID.test(traceId) &&
  SPAN_ID.test(spanId) &&
  traceId !== INVALID_TRACE_ID &&
  spanId !== INVALID_SPAN_ID;

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
  const { trace, context } = loaded;
  let lastSpan: unknown;
  let lastFragment = '';
  const fragment = (): string => {
    const span = trace.getSpan(context.active());
    if (span === undefined) return '';
    if (span === lastSpan) return lastFragment;
    const spanContext = span.spanContext();
    // A valid span context has hex IDs only, so the fragment needs no escaping. W3C writes them in
    // lower case (and so does the line schema): a tracer that does not is lower-cased here.
    lastFragment = isValidIds(spanContext.traceId, spanContext.spanId)
      ? `,"trace.id":"${spanContext.traceId.toLowerCase()}","span.id":"${spanContext.spanId.toLowerCase()}"`
      : '';
    lastSpan = span;
    return lastFragment;
  };
  return Object.assign(fragment, { available: true });
}
