import type { Redactor } from '@jts/core';
import { escapeUnsafeCharacters, hasUnsafeCharacter } from './sanitize-string.js';

/** Bit flags describing how a key is treated; computed once per distinct key. */
export const KeyFlags = {
  /** Value replaced by the censor text. */
  REDACT: 1,
  /** Value masked to its last 4 characters. */
  MASK: 2,
  /** Key text is written changed: escaped (C1 controls, U+2028/2029), cut at the key limit or redacted by value. */
  UNSAFE: 4,
  /** Top-level key owned by the line schema: a caller's value moves under `labels.`. */
  RESERVED: 8,
  /** Top-level key with its own rule (`err`, `error`, `event`). */
  SPECIAL: 16,
} as const;

const SPECIAL_KEYS = new Set(['err', 'error', 'event']);

/** Fields the logger itself writes; a caller's field of the same root would clash in Elasticsearch. */
const RESERVED_ROOTS = [
  '@timestamp',
  'log',
  'ecs',
  'service',
  'trace',
  'span',
  'process',
  'host',
  'trading',
  'correlation_id',
];

function isReserved(key: string): boolean {
  for (const root of RESERVED_ROOTS) {
    if (key === root || (key.length > root.length && key.startsWith(root) && key.charCodeAt(root.length) === 46))
      return true;
  }
  return false;
}

const CACHE_LIMIT = 4096;

/** Classifies keys against the redaction policy and the line schema, with a bounded cache. */
export interface KeyClassifier {
  flags(key: string): number;
  /** The key as written: cut at the key limit, redacted by value and escaped. */
  safeKey(key: string): string;
  /** The key limit (the policy's `maxKeyLength`, never above the logger's string limit). */
  readonly maxKeyLength: number;
  /** Lowers the key limit to the logger's string limit; called once at setup. */
  limitKeys(maxLength: number): void;
}

/**
 * Builds the key classifier used for every field name of every line.
 *
 * @param redactor - decides redact / mask by key; its limits give the key limit
 * @returns the classifier
 */
export function createKeyClassifier(redactor: Redactor): KeyClassifier {
  const cache = new Map<string, number>();
  let maxKeyLength = redactor.limits.maxKeyLength;
  const bound = { maxLength: maxKeyLength };
  const safeKey = (key: string) => escapeUnsafeCharacters(redactor.redactString(key, bound));
  return {
    flags(key) {
      // Keys past the limit are data, not code: never cached (a cache of them would hold megabytes).
      const long = key.length > maxKeyLength;
      const cached = long ? undefined : cache.get(key);
      if (cached !== undefined) return cached;
      const treatment = redactor.classifyKey(key);
      let flags = treatment === 'redact' ? KeyFlags.REDACT : treatment === 'mask' ? KeyFlags.MASK : 0;
      if (long || hasUnsafeCharacter(key) || safeKey(key) !== key) flags |= KeyFlags.UNSAFE;
      if (isReserved(key)) flags |= KeyFlags.RESERVED;
      if (SPECIAL_KEYS.has(key)) flags |= KeyFlags.SPECIAL;
      if (long) return flags;
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, flags);
      return flags;
    },
    safeKey,
    get maxKeyLength() {
      return maxKeyLength;
    },
    limitKeys(maxLength) {
      if (maxLength >= maxKeyLength) return;
      maxKeyLength = bound.maxLength = maxLength;
      cache.clear();
    },
  };
}
