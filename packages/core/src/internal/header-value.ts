/** A header value as Node's http, fetch Headers or a Kafka client gives it. */
export type HeaderValue = string | Buffer | Uint8Array | readonly (string | Buffer | Uint8Array)[] | undefined | null;

/** Longest header value we decode at all; anything longer is treated as absent. */
export const MAX_HEADER_VALUE_LENGTH = 8192;

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Decodes one header value to a string: first element of arrays, UTF-8 for bytes, bounded length. */
export function headerValueToString(value: unknown): string | undefined {
  let single: unknown = value;
  if (Array.isArray(single)) single = single[0];
  if (typeof single === 'string') return single.length <= MAX_HEADER_VALUE_LENGTH ? single : undefined;
  if (single instanceof Uint8Array) {
    return single.byteLength <= MAX_HEADER_VALUE_LENGTH ? decoder.decode(single) : undefined;
  }
  return undefined;
}

/** Reads a header by lower-case name from a plain object, a Map or a fetch `Headers`. */
export function readHeader(carrier: unknown, lowerName: string): string | undefined {
  if (carrier === null || typeof carrier !== 'object') return undefined;
  const getter = (carrier as { get?: unknown }).get;
  if (typeof getter === 'function' && !(carrier instanceof Map)) {
    try {
      return headerValueToString(getter.call(carrier, lowerName));
    } catch {
      return undefined;
    }
  }
  if (carrier instanceof Map) {
    for (const [key, value] of carrier) {
      if (typeof key === 'string' && key.toLowerCase() === lowerName) return headerValueToString(value);
    }
    return undefined;
  }
  const record = carrier as Record<string, unknown>;
  if (Object.hasOwn(record, lowerName)) return headerValueToString(record[lowerName]);
  // Kafka and hand-built carriers keep the case the producer used. for-in walks the keys without
  // making an array of them (this runs for every absent header).
  for (const key in record) {
    if (key.length === lowerName.length && Object.hasOwn(record, key) && key.toLowerCase() === lowerName)
      return headerValueToString(record[key]);
  }
  return undefined;
}

/** Writes a header into a plain object, a Map or a fetch `Headers`. */
export function writeHeader(carrier: unknown, name: string, value: string): void {
  if (carrier === null || typeof carrier !== 'object') return;
  const setter = (carrier as { set?: unknown }).set;
  if (typeof setter === 'function') {
    setter.call(carrier, name, value);
    return;
  }
  (carrier as Record<string, unknown>)[name] = value;
}
