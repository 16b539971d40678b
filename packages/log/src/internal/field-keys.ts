import type { Redactor } from '@jts/core';
import { escapeUnsafeCharacters, hasUnsafeCharacter } from './sanitize-string.js';

/** Bit flags describing how a key is treated; computed once per distinct key. */
export const KeyFlags = {
  /** Value replaced by the censor text. */
  REDACT: 1,
  /** Value masked to its last 4 characters. */
  MASK: 2,
  /** Key text holds C1 controls or U+2028/2029 and is written escaped. */
  UNSAFE: 4,
  /** Top-level key owned by the line schema: a caller's value moves under `labels.`. */
  RESERVED: 8,
  /** Top-level key with its own rule (`err`, `error`, `event`). */
  SPECIAL: 16,
} as const;

const SPECIAL_KEYS = new Set(['err', 'error', 'event']);

/** Fields the logger itself writes; a caller's field of the same root would clash in Elasticsearch. */
const RESERVED_ROOTS = ['@timestamp', 'log', 'ecs', 'service', 'trace', 'span', 'process', 'host', 'trading', 'correlation_id'];

function isReserved(key: string): boolean {
  for (const root of RESERVED_ROOTS) {
    if (key === root || (key.length > root.length && key.startsWith(root) && key.charCodeAt(root.length) === 46)) return true;
  }
  return false;
}

const CACHE_LIMIT = 4096;

/** Classifies keys against the redaction policy and the line schema, with a bounded cache. */
export interface KeyClassifier {
  flags(key: string): number;
  /** The key as written: escaped when it holds unsafe characters. */
  safeKey(key: string): string;
}

/**
 * Builds the key classifier used for every field name of every line.
 *
 * @param redactor - decides redact / mask by key
 * @returns the classifier
 */
export function createKeyClassifier(redactor: Redactor): KeyClassifier {
  const cache = new Map<string, number>();
  return {
    flags(key) {
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      const treatment = redactor.classifyKey(key);
      let flags = treatment === 'redact' ? KeyFlags.REDACT : treatment === 'mask' ? KeyFlags.MASK : 0;
      if (hasUnsafeCharacter(key)) flags |= KeyFlags.UNSAFE;
      if (isReserved(key)) flags |= KeyFlags.RESERVED;
      if (SPECIAL_KEYS.has(key)) flags |= KeyFlags.SPECIAL;
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, flags);
      return flags;
    },
    safeKey: (key) => escapeUnsafeCharacters(key),
  };
}
