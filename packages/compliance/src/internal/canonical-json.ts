import canonicalize from 'canonicalize';
import { JtsError } from '@jts/core';

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a value, through `canonicalize` 2.x, the
 * reference implementation by the RFC's author: keys sorted by UTF-16 code units, numbers in
 * ECMAScript (ES6) shortest form, strings escaped as `JSON.stringify` does.
 *
 * The value is first normalised to plain JSON (`toJSON` applied, `undefined` and functions
 * dropped), so what is hashed is exactly what a verifier parses back from the line.
 *
 * @throws JtsError `JTS_ERR_INVALID_ARGUMENT` for values JSON cannot carry (BigInt, NaN, Infinity, cycles)
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(toPlainJson(value));
  if (text === undefined) throw new JtsError('JTS_ERR_INVALID_ARGUMENT', 'Audit data must be plain JSON');
  return text;
}

/**
 * A plain-JSON copy of a value (`toJSON` applied, `undefined` and functions dropped).
 *
 * @throws JtsError `JTS_ERR_INVALID_ARGUMENT` for BigInt, NaN, Infinity and cycles
 */
export function toPlainJson(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value, rejectNonFinite) ?? 'null');
  } catch (error) {
    throw new JtsError('JTS_ERR_INVALID_ARGUMENT', `Audit data must be plain JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

// JSON.stringify would silently turn NaN and Infinity into null: an audit payload must not change meaning.
function rejectNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`non-finite number ${value}`);
  return value;
}
