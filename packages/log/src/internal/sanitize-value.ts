import { maskLast4, type Redactor } from '@jts/core';
import { KeyFlags, type KeyClassifier } from './field-keys.js';
import type { StringSanitizer } from './sanitize-string.js';

/** Settings of the deep walk. */
export interface ValueSanitizerSettings {
  readonly redactor: Redactor;
  readonly keys: KeyClassifier;
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

/** Describes what was thrown while reading a value, without trusting it. */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return `${String(thrown.name)}: ${String(thrown.message)}`;
    return typeof thrown;
  } catch {
    return 'unknown';
  }
}

/** Reads a property without letting a throwing getter escape. */
export function read(target: object, key: string | number): unknown {
  try {
    return (target as Record<string | number, unknown>)[key];
  } catch (thrown) {
    return `[Unreadable: getter threw ${describeThrown(thrown)}]`;
  }
}

/**
 * Builds the walker behind every field of every line. Only objects are walked; a line with a few
 * strings and numbers costs one key lookup and one string check per field.
 *
 * @param settings - redactor, key classifier, string sanitiser and limits
 * @returns the walker
 */
export function createValueSanitizer(settings: ValueSanitizerSettings): ValueSanitizer {
  const { keys, sanitizeString, maxDepth, maxErrorItems } = settings;
  const censor = settings.redactor.policy.censor;
  const ancestors: object[] = [];

  function keyed(key: string, item: unknown, depth: number): unknown {
    return flagged(keys.flags(key), item, depth);
  }

  function flagged(flags: number, item: unknown, depth: number): unknown {
    if (item !== undefined && item !== null) {
      if (flags & KeyFlags.REDACT) return censor;
      if (flags & KeyFlags.MASK && typeof item !== 'object' && typeof item !== 'function') return maskLast4(String(item));
    }
    return value(item, depth);
  }

  function value(item: unknown, depth: number): unknown {
    switch (typeof item) {
      case 'string':
        return sanitizeString(item);
      case 'number':
      case 'boolean':
      case 'undefined':
        return item;
      case 'bigint':
        return item.toString();
      case 'symbol':
        return sanitizeString(`[${item.toString()}]`);
      case 'function':
        return undefined;
      default:
        return item === null ? null : object(item as object, depth);
    }
  }

  function object(target: object, depth: number): unknown {
    if (ancestors.includes(target)) return '[Circular]';
    if (depth > maxDepth) return '[Truncated: max depth]';
    try {
      if (target instanceof Error) return error(target, depth);
      if (ArrayBuffer.isView(target)) return `[${target.constructor.name}: ${target.byteLength} bytes]`;
      const toJSON = (target as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        try {
          const json: unknown = toJSON.call(target);
          return json === target ? '[Unserializable: toJSON returned itself]' : value(json, depth);
        } catch (thrown) {
          return `[Unserializable: toJSON threw ${describeThrown(thrown)}]`;
        }
      }
      ancestors.push(target);
      try {
        return Array.isArray(target) ? array(target, depth) : record(target, depth);
      } finally {
        ancestors.pop();
      }
    } catch (thrown) {
      return `[Unserializable: ${describeThrown(thrown)}]`;
    }
  }

  function array(target: unknown[], depth: number): unknown[] {
    let copy: unknown[] | undefined;
    for (let index = 0; index < target.length; index++) {
      let item: unknown;
      let unreadable = false;
      try {
        item = target[index];
      } catch {
        item = read(target, index);
        unreadable = true;
      }
      const next = value(item, depth + 1);
      if (copy === undefined && (unreadable || next !== item)) copy = target.slice(0, index).map((earlier) => value(earlier, depth + 1));
      if (copy !== undefined) copy.push(next === undefined ? null : next);
    }
    return copy ?? target;
  }

  function record(target: object, depth: number): object {
    const names = Object.keys(target);
    let copy: Record<string, unknown> | undefined;
    for (let index = 0; index < names.length; index++) {
      const key = names[index]!;
      let item: unknown;
      let unreadable = false;
      try {
        item = (target as Record<string, unknown>)[key];
      } catch {
        item = read(target, key);
        unreadable = true;
      }
      const flags = keys.flags(key);
      const next = flagged(flags, item, depth + 1);
      const outKey = flags & KeyFlags.UNSAFE ? keys.safeKey(key) : key;
      if (copy === undefined && (unreadable || next !== item || outKey !== key)) {
        copy = {};
        for (const earlier of names.slice(0, index)) copy[keys.safeKey(earlier)] = keyed(earlier, read(target, earlier), depth + 1);
      }
      if (copy !== undefined) copy[outKey] = next;
    }
    return copy ?? target;
  }

  function error(target: Error, depth: number): Record<string, unknown> {
    if (depth > maxDepth) return { type: 'Error', message: '[Truncated: max depth]' };
    ancestors.push(target);
    try {
      const out: Record<string, unknown> = {};
      const name = read(target, 'name');
      const constructorName = (read(target, 'constructor') as { name?: unknown } | undefined)?.name;
      out.type = sanitizeString(typeof name === 'string' && name !== 'Error' ? name : typeof constructorName === 'string' ? constructorName : 'Error');
      out.message = sanitizeString(String(read(target, 'message') ?? ''));
      const stack = read(target, 'stack');
      if (typeof stack === 'string') out.stack_trace = sanitizeString(stack);
      const code = read(target, 'code');
      if (typeof code === 'string' || typeof code === 'number') out.code = sanitizeString(String(code));
      const cause = read(target, 'cause');
      if (cause !== undefined) out.cause = causeOf(cause, depth + 1);
      const errors = read(target, 'errors');
      if (Array.isArray(errors)) {
        out.errors = errors.slice(0, maxErrorItems).map((item) => causeOf(item, depth + 1));
        if (errors.length > maxErrorItems) out.errors_omitted = errors.length - maxErrorItems;
      }
      return out;
    } finally {
      ancestors.pop();
    }
  }

  // A cause may be anything; the schema wants an ECS error object in `cause` and `errors`.
  function causeOf(cause: unknown, depth: number): Record<string, unknown> {
    if (cause instanceof Error) return ancestors.includes(cause) ? { type: 'Circular', message: '[Circular]' } : error(cause, depth);
    const described = value(cause, depth);
    return { type: typeof cause, message: typeof described === 'string' ? described : sanitizeString(safeJson(described)) };
  }

  return { value, keyed, error };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '[Unserializable]';
  }
}
