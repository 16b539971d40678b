import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { CORRELATION_ID_ATTRIBUTE, type ValueWalker } from '@jts/core';
import { isGeneratedCorrelationId } from '@jts/core/internal';
import { endingSpan } from './ending-span.js';

/** What the redactor remembers about one attribute key: the key as written, its last value and that value's result. */
interface KeyEntry {
  readonly out: string;
  value: unknown;
  result: unknown;
}

// Distinct keys remembered before the memo starts over (keys are code, not data; this bounds
// the memory if an application puts IDs into attribute keys).
const KEY_LIMIT = 1024;

/**
 * Redacts and bounds span (or event) attributes in place through core's one value walker, so an
 * attribute comes out as the same value would in a log line, a label or an audit payload.
 * Attribute keys repeat across spans and so do most values (symbols, sides, strategy IDs, the
 * correlation ID of a flow), so each key keeps the result for the value it last saw: a repeated
 * value costs one `Map` lookup and one comparison instead of a walk. The result is the same as
 * redacting from scratch (the walk is a pure function of key and value).
 *
 * @internal
 */
export function createAttributeRedactor(walker: ValueWalker): (attributes: Attributes) => void {
  const keys = new Map<string, KeyEntry>();
  const maxKeyLength = walker.limits.maxKeyLength;

  const entryFor = (key: string): KeyEntry => {
    let entry = keys.get(key);
    if (entry === undefined) {
      if (keys.size >= KEY_LIMIT) {
        keys.clear();
        lastKeys.length = 0;
        lastEntries.length = 0;
      }
      entry = { out: walker.key(key), value: undefined, result: undefined };
      keys.set(key, entry);
    }
    return entry;
  };

  // Spans of one operation carry the same keys in the same order: the entries of the last span,
  // by position, usually answer without a Map lookup.
  const lastKeys: string[] = [];
  const lastEntries: KeyEntry[] = [];

  // A key past the key limit or holding a secret (data used as a key) is written cut and
  // redacted, like a log field's key.
  const renameKeys = (attributes: Attributes) => {
    for (const key of Object.keys(attributes)) {
      const out = key.length > maxKeyLength ? walker.key(key) : entryFor(key).out;
      if (out === key) continue;
      const value = attributes[key];
      delete attributes[key];
      if (value !== undefined) attributes[out] = walker.keyed(key, value) as AttributeValue;
    }
  };

  return (attributes) => {
    let position = 0;
    let rename = false;
    for (const key in attributes) {
      const value = attributes[key];
      if (key.length > maxKeyLength) {
        rename = true;
        continue;
      }
      let entry: KeyEntry;
      if (lastKeys[position] === key) entry = lastEntries[position] as KeyEntry;
      else {
        entry = entryFor(key);
        lastKeys[position] = key;
        lastEntries[position] = entry;
      }
      position++;
      if (entry.out !== key) {
        rename = true;
        continue;
      }
      if (value === undefined || value === null) continue;
      let next: unknown;
      if (value === entry.value) next = entry.result;
      else if (
        key === CORRELATION_ID_ATTRIBUTE &&
        typeof value === 'string' &&
        (value === endingSpan.generatedCorrelationId || isGeneratedCorrelationId(value))
      ) {
        // An identifier core generated: never redacted (see isGeneratedCorrelationId). The span
        // this package is ending says so when its run's context knows (see endingSpan).
        next = value;
      } else {
        next = walker.keyed(key, value);
        // Arrays are new objects on every span: only scalars are remembered.
        if (typeof value !== 'object') {
          entry.value = value;
          entry.result = next;
        }
      }
      if (next !== value) attributes[key] = next as AttributeValue;
    }
    if (rename) renameKeys(attributes);
  };
}
