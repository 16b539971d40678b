import { type Redactor, createValueWalker } from '@jts/core';
import { describeThrown, readProperty } from '@jts/core/internal';
import type { KeyClassifier } from './field-keys.js';
import { type StringSanitizer, escapeUnsafeCharacters } from './sanitize-string.js';

/** Settings of the deep walk. */
export interface ValueSanitizerSettings {
  readonly redactor: Redactor;
  readonly keys: KeyClassifier;
  /** The logger's string step; its `maxLength` is the walk's string limit. */
  readonly sanitizeString: StringSanitizer;
  /** Objects nested deeper are replaced by a marker. */
  readonly maxDepth: number;
  /** Longest cause chain / AggregateError list written. */
  readonly maxErrorItems: number;
}

/** Turns any value into one `JSON.stringify` can write without throwing; copy-on-write. */
export interface ValueSanitizer {
  /** Returns `value` itself when nothing had to change, else a sanitised copy. */
  value(value: unknown, depth: number): unknown;
  /** Like {@link ValueSanitizer.value} for a value stored under `key` (redacted or masked by key). */
  keyed(key: string, value: unknown, depth: number): unknown;
  /** The ECS `error` object of an Error: `type`, `message`, `stack_trace`, `code`, `cause`, `errors`. */
  error(error: Error, depth: number): Record<string, unknown>;
}

export { describeThrown, readProperty as read };

/**
 * Builds the walker behind every field of every line: `@jts/core`'s one value walker (the same
 * redaction and bounds as span attributes, labels and audit payloads) with the logger's limits
 * and its escaping of C1 controls and U+2028/U+2029 in strings and keys.
 *
 * @param settings - redactor, key classifier, string sanitiser and limits
 * @returns the walker
 */
export function createValueSanitizer(settings: ValueSanitizerSettings): ValueSanitizer {
  const { redactor, keys, sanitizeString, maxDepth, maxErrorItems } = settings;
  const walker = createValueWalker({
    redactor,
    limits: { maxDepth, maxStringLength: sanitizeString.maxLength, maxKeyLength: keys.maxKeyLength },
    encodeString: escapeUnsafeCharacters,
    encodeKey: escapeUnsafeCharacters,
    maxErrorItems,
  });
  // Top-level keys (cut by the classifier) and nested keys (cut by the walker) share one limit.
  keys.limitKeys(walker.limits.maxKeyLength);
  return { value: walker.value, keyed: walker.keyed, error: walker.error };
}
