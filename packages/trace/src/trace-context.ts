import type { SpanContext } from '@opentelemetry/api';
import { createTraceState } from './trace-state.js';

/** A `traceparent` that passed every W3C Trace Context check. */
export interface ParsedTraceparent {
  /** Version byte as two lowercase hex digits (`00`, or a future version parsed by prefix). */
  readonly version: string;
  /** 32 lowercase hex digits, not all zero. */
  readonly traceId: string;
  /** 16 lowercase hex digits, not all zero. */
  readonly spanId: string;
  /** Trace flags; for future versions only the bits version 00 defines are kept. */
  readonly traceFlags: number;
}

const HEX2 = /^[0-9a-f]{2}$/;
const VERSION_00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const FUTURE_PREFIX = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-|$)/;
const ALL_ZERO = /^0+$/;
// Optional whitespace around the value (RFC 9110 OWS), as the W3C test suite sends it.
const OWS = /^[ \t]+|[ \t]+$/g;
const SAMPLED_FLAG = 0x01;

/**
 * Parses a W3C `traceparent` exactly as the Trace Context specification (Level 1 and 2) says:
 * lowercase hex only, version `ff` invalid, all-zero trace or parent IDs invalid, version `00`
 * exactly 55 characters, future versions parsed by their 55-character prefix (which must be
 * followed by `-` or the end). Never throws.
 *
 * @param header - the raw header value (an array counts as invalid unless it holds one value)
 * @returns the parsed fields, or undefined when the header is absent or invalid
 * @example
 * parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')?.traceId;
 */
export function parseTraceparent(header: unknown): ParsedTraceparent | undefined {
  const value = singleValue(header);
  if (value === undefined) return undefined;
  const trimmed = value.replace(OWS, '');
  const version = trimmed.slice(0, 2);
  if (!HEX2.test(version) || version === 'ff') return undefined;
  const match = version === '00' ? VERSION_00.exec(trimmed) : FUTURE_PREFIX.exec(trimmed);
  if (match === null) return undefined;
  const offset = version === '00' ? 0 : 1;
  const traceId = match[1 + offset] as string;
  const spanId = match[2 + offset] as string;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;
  let traceFlags = Number.parseInt(match[3 + offset] as string, 16);
  // A newer version may define more flags; only the sampled bit has a meaning we know.
  if (version !== '00') traceFlags &= SAMPLED_FLAG;
  return { version, traceId, spanId, traceFlags };
}

/**
 * Formats a span context as a version-00 `traceparent`.
 *
 * @param spanContext - a valid span context
 * @returns `00-<trace-id>-<span-id>-<flags>`
 */
export function formatTraceparent(spanContext: SpanContext): string {
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/**
 * Parses `traceparent` and `tracestate` into a remote span context. An invalid `tracestate` is
 * dropped without invalidating the `traceparent`, as the specification says.
 *
 * @param traceparent - raw `traceparent` header (string, Buffer or array)
 * @param tracestate - raw `tracestate` header(s); several headers are joined with commas
 * @returns a remote span context, or undefined when `traceparent` is invalid
 */
export function parseTraceContext(traceparent: unknown, tracestate?: unknown): SpanContext | undefined {
  const parsed = parseTraceparent(traceparent);
  if (parsed === undefined) return undefined;
  const traceState = createTraceState(joinValues(tracestate));
  return {
    traceId: parsed.traceId,
    spanId: parsed.spanId,
    traceFlags: parsed.traceFlags,
    isRemote: true,
    ...(traceState !== undefined && { traceState }),
  };
}

/** One header value as a string; several `traceparent` headers make the request invalid. */
function singleValue(header: unknown): string | undefined {
  if (Array.isArray(header)) return header.length === 1 ? asString(header[0]) : undefined;
  return asString(header);
}

function joinValues(header: unknown): string | undefined {
  if (Array.isArray(header)) {
    const parts = header.map(asString);
    return parts.some((part) => part === undefined) ? undefined : parts.join(',');
  }
  return asString(header);
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
  return undefined;
}
