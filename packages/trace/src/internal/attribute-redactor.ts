import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { type KeyTreatment, type RedactionPolicy, createRedactor, maskLast4 } from '@jts/core';
import { createStringRedactor } from './string-redactor.js';

/** What the redactor remembers about one attribute key: its treatment and its last value. */
interface KeyEntry {
  readonly treatment: KeyTreatment;
  value: unknown;
  result: unknown;
}

// Distinct keys remembered before the memo starts over (keys are code, not data; this bounds
// the memory if an application puts IDs into attribute keys).
const KEY_LIMIT = 1024;

/**
 * Redacts span attributes in place with the policy. Attribute keys repeat across spans and so do
 * most values (symbols, sides, strategy IDs, the correlation ID of a flow), so each key keeps its
 * treatment and the result for the value it last saw: a repeated value costs one `Map` lookup
 * and one string comparison instead of a classification and a scan. The result is the same as
 * redacting from scratch (the policy's patterns are pure functions of the string).
 *
 * @internal
 */
export function createAttributeRedactor(policy: RedactionPolicy): (attributes: Attributes) => void {
  const { classifyKey } = createRedactor(policy);
  const redactString = createStringRedactor(policy);
  const keys = new Map<string, KeyEntry>();

  const redactOne = (treatment: KeyTreatment, value: unknown): unknown => {
    if (treatment === 'redact') return policy.censor;
    if (treatment === 'mask') return maskLast4(String(value));
    return typeof value === 'string' ? redactString(value) : value;
  };

  const redactArray = (treatment: KeyTreatment, value: readonly unknown[]): AttributeValue => {
    let changed = false;
    const out = value.map((item) => {
      const next = item === null || item === undefined ? item : redactOne(treatment, item);
      if (next !== item) changed = true;
      return next;
    });
    return (changed ? out : value) as AttributeValue;
  };

  const entryFor = (key: string): KeyEntry => {
    let entry = keys.get(key);
    if (entry === undefined) {
      if (keys.size >= KEY_LIMIT) {
        keys.clear();
        lastKeys.length = 0;
        lastEntries.length = 0;
      }
      entry = { treatment: classifyKey(key), value: undefined, result: undefined };
      keys.set(key, entry);
    }
    return entry;
  };

  // Spans of one operation carry the same keys in the same order: the entries of the last span,
  // by position, usually answer without a Map lookup.
  const lastKeys: string[] = [];
  const lastEntries: KeyEntry[] = [];

  return (attributes) => {
    let position = 0;
    for (const key in attributes) {
      const value = attributes[key];
      let entry: KeyEntry;
      if (lastKeys[position] === key) entry = lastEntries[position] as KeyEntry;
      else {
        entry = entryFor(key);
        lastKeys[position] = key;
        lastEntries[position] = entry;
      }
      position++;
      if (value === undefined || value === null) continue;
      let next: unknown;
      if (value === entry.value) next = entry.result;
      else if (Array.isArray(value)) next = redactArray(entry.treatment, value);
      else {
        next = redactOne(entry.treatment, value);
        entry.value = value;
        entry.result = next;
      }
      if (next !== value) attributes[key] = next as AttributeValue;
    }
  };
}
