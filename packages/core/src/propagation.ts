import { CORRELATION_ID_HEADER, acceptCorrelationId, newCorrelationId } from './correlation-id.js';
import { createTrustedContext, currentContext, runInContext, type JtsContext } from './context.js';
import { parseBaggage, setBaggageMember } from './internal/baggage.js';
import { headerValueToString, readHeader, writeHeader } from './internal/header-value.js';

/** Baggage key carrying the correlation ID across services that only forward W3C headers. */
export const CORRELATION_ID_BAGGAGE_KEY = 'jts.correlation_id';

/** Anything headers can be read from: Node `IncomingHttpHeaders`, Kafka headers, a Map, fetch `Headers`. */
export type HeaderCarrier =
  | Readonly<Record<string, unknown>>
  | ReadonlyMap<string, unknown>
  | { get(name: string): unknown };

/** Options shared by {@link injectHeaders} and {@link extractContext}. */
export interface PropagationOptions {
  /** Header carrying the correlation ID. Default `x-correlation-id`. */
  readonly header?: string;
}

/** What {@link extractContext} found in a carrier. */
export interface ExtractedContext {
  /** The correlation ID to use: the accepted incoming one, or a new one. */
  readonly correlationId: string;
  /** Where it came from. */
  readonly source: 'header' | 'baggage' | 'generated';
  /** True when an incoming value was present but invalid (it was discarded, never stored). */
  readonly rejected: boolean;
  /** Raw W3C `traceparent`, passed through for the tracing package (validated there). */
  readonly traceparent?: string;
  /** Raw W3C `tracestate`, passed through. */
  readonly tracestate?: string;
  /** Raw W3C `baggage`, passed through. */
  readonly baggage?: string;
}

// Trace headers are forwarded, not interpreted, here; anything non-printable or oversized is dropped.
const PRINTABLE = /^[\x20-\x7e]{1,8192}$/;
const printableOrUndefined = (value: string | undefined) =>
  value !== undefined && PRINTABLE.test(value) ? value : undefined;

/**
 * Reads the correlation ID (header first, then W3C baggage) and the W3C trace headers from HTTP
 * or message headers. Values may be strings, Buffers or arrays of them. An invalid correlation
 * ID is discarded, counted and replaced by a new one.
 *
 * @param carrier - incoming headers
 * @param options - header name
 * @returns the correlation ID to use and the raw trace headers
 * @example
 * const { correlationId } = extractContext(message.headers); // Kafka: values are Buffers
 */
export function extractContext(
  carrier: HeaderCarrier | undefined | null,
  options: PropagationOptions = {},
): ExtractedContext {
  const headerName = (options.header ?? CORRELATION_ID_HEADER).toLowerCase();
  const traceparent = printableOrUndefined(readHeader(carrier, 'traceparent'));
  const tracestate = printableOrUndefined(readHeader(carrier, 'tracestate'));
  const baggage = printableOrUndefined(readHeader(carrier, 'baggage'));
  const trace = {
    ...(traceparent !== undefined && { traceparent }),
    ...(tracestate !== undefined && { tracestate }),
    ...(baggage !== undefined && { baggage }),
  };

  let rejected = false;
  const raw = readHeader(carrier, headerName);
  if (raw !== undefined) {
    const accepted = acceptCorrelationId(raw);
    if (accepted !== undefined) return { correlationId: accepted, source: 'header', rejected, ...trace };
    rejected = true;
  }
  const fromBaggage = baggageCorrelationId(baggage);
  if (typeof fromBaggage === 'string') return { correlationId: fromBaggage, source: 'baggage', rejected, ...trace };
  if (fromBaggage === null) rejected = true;
  return { correlationId: newCorrelationId(), source: 'generated', rejected, ...trace };
}

/**
 * The `jts.correlation_id` member of a `baggage` header: the ID when it is valid, `null` when the
 * member is there but invalid (discarded, counted and reported), undefined when there is none.
 */
function baggageCorrelationId(baggage: string | undefined): string | null | undefined {
  if (baggage === undefined) return undefined;
  const member = parseBaggage(baggage).get(CORRELATION_ID_BAGGAGE_KEY);
  if (member === undefined) return undefined;
  return acceptCorrelationId(member) ?? null;
}

/**
 * The correlation ID of an incoming `node:http` request, as {@link extractContext} chooses it
 * (the header, else the `jts.correlation_id` baggage member, else a new ID; an invalid value is
 * discarded, counted and reported), for the HTTP adapters' hot path: Node gives header names in
 * lower case, so each is one property read, with no case-insensitive scan and no trace headers
 * read (the tracer reads those itself).
 *
 * @param headers - `request.headers` of `node:http`
 * @param headerName - the correlation header, in lower case
 * @returns the correlation ID to use
 * @internal
 */
export function correlationIdOfRequest(headers: Readonly<Record<string, unknown>>, headerName: string): string {
  const raw = Object.hasOwn(headers, headerName) ? headerValueToString(headers[headerName]) : undefined;
  if (raw !== undefined) {
    const accepted = acceptCorrelationId(raw);
    if (accepted !== undefined) return accepted;
  }
  const fromBaggage = Object.hasOwn(headers, 'baggage')
    ? baggageCorrelationId(printableOrUndefined(headerValueToString(headers.baggage)))
    : undefined;
  return typeof fromBaggage === 'string' ? fromBaggage : newCorrelationId();
}

/**
 * Writes the current correlation ID into outgoing HTTP or message headers, both as its own
 * header and as the `jts.correlation_id` W3C baggage member (other baggage members are kept).
 *
 * @param carrier - outgoing headers (plain object, Map or fetch `Headers`), modified in place
 * @param context - the context to propagate; defaults to the current one
 * @param options - header name
 * @returns the same carrier
 * @example
 * await fetch(url, { headers: injectHeaders({ 'content-type': 'application/json' }) });
 */
export function injectHeaders<C extends object>(
  carrier: C,
  context: JtsContext | undefined = currentContext(),
  options: PropagationOptions = {},
): C {
  if (context === undefined) return carrier;
  const headerName = options.header ?? CORRELATION_ID_HEADER;
  writeHeader(carrier, headerName, context.correlationId);
  const existing = readHeader(carrier, 'baggage');
  writeHeader(carrier, 'baggage', setBaggageMember(existing, CORRELATION_ID_BAGGAGE_KEY, context.correlationId));
  return carrier;
}

/**
 * Runs `fn` in a new context whose correlation ID comes from incoming headers (a consumer of
 * HTTP requests or Kafka messages).
 *
 * @param carrier - incoming headers
 * @param fn - the work; receives what was extracted
 * @param options - header name
 * @returns what `fn` returns
 * @example
 * consumer.run({ eachMessage: ({ message }) => runFromHeaders(message.headers, () => handle(message)) });
 */
export function runFromHeaders<R>(
  carrier: HeaderCarrier | undefined | null,
  fn: (extracted: ExtractedContext) => R,
  options: PropagationOptions = {},
): R {
  const extracted = extractContext(carrier, options);
  return runInContext(createTrustedContext(extracted.correlationId), () => fn(extracted));
}
