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

// What the API's isSpanContextValid accepts (hex of the right length, not all zeros), as compiled
// regular expressions instead of its loop over the 48 characters of every new span. W3C writes
// the IDs in lower case, and so does the line schema: an ID in upper or mixed case (a foreign
// tracer's) is lower-cased, off the usual path.
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ANY_CASE_TRACE_ID = /^[0-9a-f]{32}$/i;
const ANY_CASE_SPAN_ID = /^[0-9a-f]{16}$/i;
const INVALID_TRACE_ID = '00000000000000000000000000000000';
const INVALID_SPAN_ID = '0000000000000000';

/** The ID in lower case when it is hex of the form `lower` checks, else undefined. */
const lowerHex = (id: unknown, lower: RegExp, anyCase: RegExp): string | undefined => {
  if (typeof id !== 'string') return undefined;
  if (lower.test(id)) return id;
  return anyCase.test(id) ? id.toLowerCase() : undefined;
};

/** `,"trace.id":"…","span.id":"…"` of a valid span context (no escaping needed: hex only), or `''`. */
function idsFragment(rawTraceId: unknown, rawSpanId: unknown): string {
  const traceId = lowerHex(rawTraceId, TRACE_ID, ANY_CASE_TRACE_ID);
  const spanId = lowerHex(rawSpanId, SPAN_ID, ANY_CASE_SPAN_ID);
  if (traceId === undefined || spanId === undefined || traceId === INVALID_TRACE_ID || spanId === INVALID_SPAN_ID)
    return '';
  return `,"trace.id":"${traceId}","span.id":"${spanId}"`;
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
  const { trace, context } = loaded;
  let lastSpan: unknown;
  let lastFragment = '';
  const fragment = (): string => {
    const span = trace.getSpan(context.active());
    if (span === undefined) return '';
    if (span === lastSpan) return lastFragment;
    const spanContext = span.spanContext();
    lastFragment = idsFragment(spanContext.traceId, spanContext.spanId);
    lastSpan = span;
    return lastFragment;
  };
  return Object.assign(fragment, { available: true });
}
