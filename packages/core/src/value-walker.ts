import { describeThrown, errorFields, readProperty, setField } from './error-fields.js';
import { JtsError } from './errors.js';
import { type RedactionLimits, resolveRedactionLimits } from './redaction-limits.js';
import { redactionCounters } from './redaction-work.js';
import { type KeyTreatment, type Redactor, createRedactor } from './redactor.js';
import { maskLast4 } from './secret-text.js';

/** Options of {@link createValueWalker}. */
export interface ValueWalkerOptions {
  /** The redactor applied: its policy, and its limits unless `limits` overrides them. Default: the default policy's. */
  readonly redactor?: Redactor;
  /** Limits replacing the redactor's, each optional (the logger's `maxStringLength` and `maxDepth`). */
  readonly limits?: Partial<RedactionLimits>;
  /** Rewrites each string after it is bounded and redacted (the logger escapes C1 controls here). */
  readonly encodeString?: (value: string) => string;
  /** Rewrites each object key after it is cut. */
  readonly encodeKey?: (key: string) => string;
  /**
   * Values JSON cannot carry (BigInt, NaN, ±Infinity, cycles) throw `JtsError('JTS_ERR_INVALID_ARGUMENT')`
   * instead of being written as text (the audit trail refuses such payloads). Default false.
   */
  readonly strictJson?: boolean;
  /** Longest `errors` list of an AggregateError written. Default 32. */
  readonly maxErrorItems?: number;
}

/**
 * The one object walker: turns any value into one that `JSON.stringify` writes without throwing,
 * redacted by the policy and bounded by the limits, in time bounded by the limits (a sparse array
 * of length 2^32-1 costs `maxItems` reads). Copy-on-write: returns the value itself when nothing
 * had to change.
 */
export interface ValueWalker {
  /** The limits applied. */
  readonly limits: RedactionLimits;
  /** Bounds and redacts any value; `depth` is the nesting depth of `value` (default 1). */
  value(value: unknown, depth?: number): unknown;
  /** Like {@link ValueWalker.value} for a value stored under `key` (redacted or masked by key). */
  keyed(key: string, value: unknown, depth?: number): unknown;
  /** A key as written: cut at `maxKeyLength`, redacted by value (a card number as a key) and encoded. */
  key(key: string): string;
  /** One string: cut at `maxStringLength` (secrets crossing the cut are still found), redacted, encoded. */
  string(value: string): string;
  /** The ECS error object of an Error: `type`, `message`, `stack_trace`, `code`, `cause`, `errors`. */
  error(error: Error, depth?: number): Record<string, unknown>;
}

interface KeyEntry {
  readonly treatment: KeyTreatment;
  readonly out: string;
}

const KEY_CACHE_LIMIT = 4096;

/**
 * Builds a walker. Log lines, span and event attributes, metric label values and audit payloads
 * all go through one, so a value comes out the same in each signal.
 *
 * @param options - redactor, limits, encoders, strict JSON
 * @returns the walker
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a limit that is not a positive integer
 * @example
 * const walker = createValueWalker({ limits: { maxStringLength: 4096 } });
 * walker.value({ password: 'x', notes: new Map([['iban', 'DE89370400440532013000']]) });
 * // { password: '[REDACTED]', notes: { iban: '******************3000' } }
 */
export function createValueWalker(options: ValueWalkerOptions = {}): ValueWalker {
  const redactor = options.redactor ?? createRedactor();
  const limits = resolveRedactionLimits(options.limits, redactor.limits);
  const { maxStringLength, maxKeyLength, maxDepth, maxItems } = limits;
  const { encodeString, encodeKey } = options;
  const strict = options.strictJson === true;
  const censor = redactor.policy.censor;
  const bound = { maxLength: maxStringLength };
  const keys = new Map<string, KeyEntry>();
  const ancestors: object[] = [];
  const counters = redactionCounters;
  const errorContext = { maxDepth, maxErrorItems: options.maxErrorItems ?? 32, ancestors, string, value };

  function string(text: string): string {
    const redacted = redactor.redactString(text, bound);
    return encodeString === undefined ? redacted : encodeString(redacted);
  }

  // Keys are redacted by value too: a Map keyed by account numbers becomes an object's keys.
  const keyBound = { maxLength: maxKeyLength };
  function key(name: string): string {
    const cut = redactor.redactString(name, keyBound);
    return encodeKey === undefined ? cut : encodeKey(cut);
  }

  // Keys are code, not data: one lookup per key; long keys (never cached) are cut and classified
  // by their head and tail.
  function entryOf(name: string): KeyEntry {
    let entry = name.length <= maxKeyLength ? keys.get(name) : undefined;
    if (entry !== undefined) return entry;
    entry = { treatment: redactor.classifyKey(name), out: key(name) };
    if (name.length <= maxKeyLength) {
      if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
      keys.set(name, entry);
    }
    return entry;
  }

  function fail(what: string): never {
    throw new JtsError('JTS_ERR_INVALID_ARGUMENT', `${what} cannot be written as plain JSON`);
  }

  function unreadableItem(target: object, name: string | number): unknown {
    const marker = readProperty(target, name);
    return strict ? fail(`A property whose getter throws (${String(marker)})`) : marker;
  }

  function treated(treatment: KeyTreatment, item: unknown, depth: number): unknown {
    if (treatment !== undefined && item !== undefined && item !== null) {
      if (treatment === 'redact') return censor;
      if (typeof item !== 'object' && typeof item !== 'function') return maskLast4(String(item));
      // Under a mask key, each item of an array is masked like a single value.
      if (Array.isArray(item)) return object(item, depth, treatment);
    }
    return value(item, depth);
  }

  function value(item: unknown, depth = 1): unknown {
    switch (typeof item) {
      case 'string':
        return string(item);
      case 'number':
        return strict && !Number.isFinite(item) ? fail(`The number ${item}`) : item;
      case 'boolean':
      case 'undefined':
        return item;
      case 'bigint':
        return strict ? fail('A BigInt') : item.toString();
      case 'symbol':
        return string(`[${item.toString()}]`);
      case 'function':
        return undefined;
      default:
        return item === null ? null : object(item as object, depth);
    }
  }

  function object(target: object, depth: number, treatment?: KeyTreatment): unknown {
    if (ancestors.includes(target)) return strict ? fail('A circular reference') : '[Circular]';
    if (depth > maxDepth) return '[Truncated: max depth]';
    counters.nodes++;
    try {
      if (target instanceof Error) return errorFields(errorContext, target, depth);
      if (ArrayBuffer.isView(target)) return `[${target.constructor.name}: ${target.byteLength} bytes]`;
      if (target instanceof ArrayBuffer) return `[ArrayBuffer: ${target.byteLength} bytes]`;
      const toJSON = (target as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        let json: unknown;
        try {
          json = toJSON.call(target);
        } catch (thrown) {
          return strict
            ? fail(`A value whose toJSON throws (${describeThrown(thrown)})`)
            : `[Unserializable: toJSON threw ${describeThrown(thrown)}]`;
        }
        return json === target ? '[Unserializable: toJSON returned itself]' : value(json, depth);
      }
      ancestors.push(target);
      try {
        if (Array.isArray(target)) return array(target, depth, treatment);
        if (target instanceof Map) return mapEntries(target, depth);
        if (target instanceof Set) return setValues(target, depth);
        return record(target, depth);
      } finally {
        ancestors.pop();
      }
    } catch (thrown) {
      // Whatever a getter, a Proxy trap or toString throws becomes a marker (strict: a refusal).
      if (strict)
        throw thrown instanceof JtsError
          ? thrown
          : new JtsError(
              'JTS_ERR_INVALID_ARGUMENT',
              `A value that cannot be read (${describeThrown(thrown)}) cannot be written as plain JSON`,
            );
      return `[Unserializable: ${describeThrown(thrown)}]`;
    }
  }

  // Each field is read and walked once: the first pass keeps its results, and a copy is made of
  // them only if something changed (re-walking earlier fields would compound level by level, and
  // a getter or Proxy need not return the same value twice).
  function array(target: readonly unknown[], depth: number, treatment: KeyTreatment): unknown[] {
    const length = target.length;
    const count = Math.min(length, maxItems);
    const results: unknown[] = [];
    let changed = length > count;
    for (let index = 0; index < count; index++) {
      let item: unknown;
      try {
        item = target[index];
      } catch {
        item = unreadableItem(target, index);
        changed = true;
      }
      const next = treatment === undefined ? value(item, depth + 1) : treated(treatment, item, depth + 1);
      if (next !== item) changed = true;
      results.push(next === undefined ? null : next);
    }
    if (!changed) return target as unknown[];
    if (length > count) results.push(`[truncated ${length - count} items]`);
    return results;
  }

  function record(target: object, depth: number): object {
    const names = Object.keys(target);
    const count = Math.min(names.length, maxItems);
    const results: unknown[] = [];
    let changed = names.length > count;
    for (let index = 0; index < count; index++) {
      const name = names[index]!;
      let item: unknown;
      try {
        item = (target as Record<string, unknown>)[name];
      } catch {
        item = unreadableItem(target, name);
        changed = true;
      }
      const entry = entryOf(name);
      const next = treated(entry.treatment, item, depth + 1);
      if (next !== item || entry.out !== name) changed = true;
      names[index] = entry.out;
      results.push(next);
    }
    if (!changed) return target;
    const copy: Record<string, unknown> = {};
    for (let index = 0; index < count; index++) setField(copy, names[index]!, results[index]);
    if (names.length > count) copy['[truncated]'] = `${names.length - count} more properties`;
    return copy;
  }

  function mapEntries(target: Map<unknown, unknown>, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let count = 0;
    for (const [name, item] of target) {
      if (count++ === maxItems) break;
      const text = typeof name === 'string' ? name : String(typeof name === 'symbol' ? name.toString() : name);
      const entry = entryOf(text);
      setField(out, entry.out, treated(entry.treatment, item, depth + 1));
    }
    if (target.size > maxItems) out['[truncated]'] = `${target.size - maxItems} more entries`;
    return out;
  }

  function setValues(target: Set<unknown>, depth: number): unknown[] {
    const out: unknown[] = [];
    for (const item of target) {
      if (out.length === maxItems) break;
      const next = value(item, depth + 1);
      out.push(next === undefined ? null : next);
    }
    if (target.size > maxItems) out.push(`[truncated ${target.size - maxItems} items]`);
    return out;
  }

  function keyed(name: string, item: unknown, depth = 1): unknown {
    return treated(entryOf(name).treatment, item, depth);
  }

  return { limits, value, keyed, key, string, error: (error, depth = 1) => errorFields(errorContext, error, depth) };
}
