import { type Context, ROOT_CONTEXT, type TextMapGetter, propagation } from '@opentelemetry/api';
import { injectTraceHeaders } from './inject-trace-headers.js';

/** Kafka message headers as kafkajs and node-rdkafka expose them (values may be Buffers). */
export type KafkaHeaders = Record<string, string | Buffer | ReadonlyArray<string | Buffer> | undefined>;

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  return undefined;
}

const kafkaGetter: TextMapGetter<KafkaHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    // Producers may use any case; W3C header names are lower-case.
    const found = carrier[key] ?? carrier[Object.keys(carrier).find((name) => name.toLowerCase() === key) ?? key];
    if (Array.isArray(found)) {
      const values = found.map(text).filter((value): value is string => value !== undefined);
      return values.length === 0 ? undefined : values;
    }
    return text(found);
  },
};

/**
 * Adds `traceparent`, `tracestate`, `baggage` and `x-correlation-id` (string values) to Kafka
 * message headers for the active span and JTS context.
 *
 * @param headers - the message's headers (created when absent)
 * @param context - OpenTelemetry context to propagate (default: the active one)
 * @returns the headers
 * @example
 * await producer.send({ topic, messages: [{ value, headers: injectKafkaHeaders() }] });
 */
export function injectKafkaHeaders(headers: KafkaHeaders = {}, context?: Context): KafkaHeaders {
  return injectTraceHeaders(headers, context);
}

/**
 * Reads the W3C trace context and baggage from Kafka message headers (strings or Buffers).
 * Run the handler inside `runFromHeaders(headers, () => context.with(extracted, handler))`
 * so both the correlation ID and the remote parent apply.
 *
 * @param headers - the consumed message's headers
 * @param base - context to extend (default: the root context: a message starts its own scope)
 * @returns a context whose span context is the remote parent (unchanged when none is valid)
 * @example
 * const parent = extractKafkaContext(message.headers);
 */
export function extractKafkaContext(headers: KafkaHeaders | undefined, base: Context = ROOT_CONTEXT): Context {
  if (headers === undefined || headers === null) return base;
  try {
    return propagation.extract(base, headers, kafkaGetter);
  } catch {
    return base;
  }
}
