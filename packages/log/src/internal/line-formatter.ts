import { types } from 'node:util';
import { setField } from '@jts/core/internal';
import { KeyFlags, type KeyClassifier } from './field-keys.js';
import type { StringSanitizer } from './sanitize-string.js';
import { describeThrown, read, type ValueSanitizer } from './sanitize-value.js';
import { uniqueKey } from './unique-key.js';

const isText = (value: unknown) => typeof value === 'string';
// Fields the operation lines write, with the type the line schema (and the index mapping) gives
// them: a caller's value of another type under the same name moves to `labels.`.
const TYPED_FIELDS: ReadonlyMap<string, (value: unknown) => boolean> = new Map([
  ['event.action', isText],
  ['event.outcome', (value: unknown) => value === 'success' || value === 'failure' || value === 'unknown'],
  ['event.duration', (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0],
  ['jts.operation.status', isText],
]);
// `e`vent.* and `j`ts.*: one character comparison keeps the map lookup off the usual field.
const mayBeTyped = (key: string) => key.charCodeAt(0) === 101 || key.charCodeAt(0) === 106;

/** Makes every caller-supplied field of a line safe; see {@link createLineFormatter}. */
export interface LineFormatter {
  /**
   * Sanitises the merging object of one line.
   *
   * @param object - the fields the caller logged
   * @param taken - keys the logger's bindings already wrote into the line
   * @param hasMessage - whether the call also gives a message (then a `message` field moves to `labels.message`)
   */
  fields(object: Record<string, unknown>, taken: ReadonlySet<string>, hasMessage: boolean): Record<string, unknown>;
  /** Sanitises a child logger's bindings once, at `child()` / `setBindings()`, against the keys `taken` by its parent's. */
  bindings(bindings: Record<string, unknown>, taken: ReadonlySet<string>): Record<string, unknown>;
}

/**
 * Builds the top-level step of each line: the walk of {@link ValueSanitizer} plus the rules the
 * schema needs at the top: `err` becomes `error`, `error` is always an ECS error object, and a
 * caller's field that clashes with a field the logger writes (`service.*`, `trading.*`, ...,
 * `message` when the call has a message, a child binding's key) moves under `labels.` instead
 * of producing a duplicate key that Elasticsearch would reject.
 *
 * @param keys - key classifier
 * @param sanitizer - value walker
 * @param sanitizeString - string step (length, redaction patterns, unsafe characters)
 * @param trusted - objects passed through as they are (the logger's own `base` fields)
 * @param serialized - keys with a caller serializer: left raw here, sanitised after the serializer
 * @returns the formatter hooks
 */
export function createLineFormatter(
  keys: KeyClassifier,
  sanitizer: ValueSanitizer,
  sanitizeString: StringSanitizer,
  trusted: ReadonlySet<object>,
  serialized: ReadonlySet<string>,
): LineFormatter {
  // The usual line: a few numbers, booleans and plain strings under ordinary keys. Checked in one
  // pass without copying; anything else (objects, errors, sensitive keys, a key the line already
  // has, a Proxy that could answer differently when pino reads it again) takes the full walk.
  function needsWalk(object: Record<string, unknown>, taken: ReadonlySet<string>, messageMoves: boolean): boolean {
    if (types.isProxy(object)) return true;
    for (const key in object) {
      const item = object[key];
      switch (typeof item) {
        case 'number':
        case 'boolean':
        case 'undefined':
          break;
        case 'string':
          if (sanitizeString(item) !== item) return true;
          break;
        default:
          if (!serialized.has(key)) return true;
      }
      if (keys.flags(key) !== 0 || (taken.size > 0 && taken.has(key)) || (messageMoves && key === 'message'))
        return true;
      if (mayBeTyped(key) && TYPED_FIELDS.get(key)?.(item) === false) return true;
    }
    return false;
  }

  function topLevel(
    object: Record<string, unknown>,
    taken: ReadonlySet<string>,
    messageMoves: boolean,
  ): Record<string, unknown> {
    let copy: Record<string, unknown> | undefined;
    let index = 0;
    const inLine = (name: string) => taken.has(name) || (copy !== undefined && Object.hasOwn(copy, name));
    // for-in as pino itself iterates (own enumerable keys, insertion order), without allocating.
    for (const key in object) {
      if (!Object.hasOwn(object, key)) continue;
      let item: unknown;
      let unreadable = false;
      try {
        item = object[key];
      } catch {
        item = read(object, key);
        unreadable = true;
      }
      let [outKey, next] = field(key, item, object, messageMoves);
      if (copy === undefined && (unreadable || outKey !== key || next !== item || taken.has(outKey)))
        copy = copyBefore(object, index, messageMoves);
      if (copy !== undefined && next !== undefined) {
        if (inLine(outKey)) outKey = uniqueKey(outKey, inLine);
        setField(copy, outKey, next);
      }
      index++;
    }
    return copy ?? object;
  }

  // The keys before `count` were left as they are (not renamed, not taken): copied over unchanged.
  function copyBefore(object: Record<string, unknown>, count: number, messageMoves: boolean): Record<string, unknown> {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(object).slice(0, count)) {
      const [outKey, next] = field(key, read(object, key), object, messageMoves);
      if (next !== undefined) setField(copy, outKey, next);
    }
    return copy;
  }

  function field(
    key: string,
    item: unknown,
    object: Record<string, unknown>,
    messageMoves: boolean,
  ): [string, unknown] {
    // A `message` field beside the call's message would repeat the key; alone, it is the message.
    if (key === 'message')
      return messageMoves ? ['labels.message', sanitizer.value(item, 1)] : ['message', messageText(item)];
    if (serialized.has(key)) return [key, item];
    if (key === 'err') {
      if (item instanceof Error && object.error === undefined) return ['error', sanitizer.error(item, 1)];
      return ['labels.err', sanitizer.value(item, 1)];
    }
    if (key === 'error') return ['error', errorField(item)];
    // `event` holds the ECS event object the operation lines write; a bare value would clash.
    if (key === 'event' && (item === null || typeof item !== 'object'))
      return ['labels.event', sanitizer.value(item, 1)];
    if (TYPED_FIELDS.get(key)?.(item) === false) return [`labels.${key}`, sanitizer.value(item, 1)];
    const flags = keys.flags(key);
    const outKey =
      flags & KeyFlags.RESERVED ? `labels.${keys.safeKey(key)}` : flags & KeyFlags.UNSAFE ? keys.safeKey(key) : key;
    return [outKey, sanitizer.keyed(key, item, 1)];
  }

  // `error` must always be an ECS error object (an Elasticsearch mapping conflict loses the line).
  function errorField(item: unknown): unknown {
    if (item instanceof Error) return sanitizer.error(item, 1);
    if (item === undefined) return undefined;
    const walked = sanitizer.value(item, 1);
    if (walked === null || typeof walked !== 'object' || Array.isArray(walked)) {
      return { type: item === null ? 'null' : Array.isArray(item) ? 'array' : typeof item, message: text(walked) };
    }
    const out: Record<string, unknown> = { ...(walked as Record<string, unknown>) };
    if (typeof out.type !== 'string') out.type = 'object';
    if (typeof out.message !== 'string') out.message = out.message === undefined ? '' : text(out.message);
    for (const key of ['code', 'stack_trace'] as const)
      if (out[key] !== undefined && typeof out[key] !== 'string') out[key] = text(out[key]);
    // Written by the logger for a long AggregateError; a caller's own value is kept as text.
    if (
      out.errors_omitted !== undefined &&
      !(Number.isSafeInteger(out.errors_omitted) && (out.errors_omitted as number) >= 1)
    ) {
      out.errors_omitted_text = text(out.errors_omitted);
      delete out.errors_omitted;
    }
    if (out.cause !== undefined) out.cause = errorField(out.cause);
    if (out.errors !== undefined)
      out.errors = Array.isArray(out.errors) ? out.errors.map(errorField) : [errorField(out.errors)];
    return out;
  }

  function text(value: unknown): string {
    if (typeof value === 'string') return value;
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return '[Unserializable]';
    }
  }

  // The schema's `message` is a string: anything else is written as its JSON text.
  function messageText(item: unknown): string {
    return typeof item === 'string' ? sanitizeString(item) : sanitizeString(text(sanitizer.value(item, 1)));
  }

  function guarded(
    object: Record<string, unknown>,
    taken: ReadonlySet<string>,
    messageMoves: boolean,
    what: string,
  ): Record<string, unknown> {
    try {
      return needsWalk(object, taken, messageMoves) ? topLevel(object, taken, messageMoves) : object;
    } catch {
      // A getter or a Proxy trap threw during the quick check: the walk reads each field defensively.
    }
    try {
      return topLevel(object, taken, messageMoves);
    } catch (thrown) {
      // Never lose the line: keep what can be said about why its fields were dropped.
      return {
        [uniqueKey('log_error', (name) => taken.has(name))]: `[Unserializable ${what}: ${describeThrown(thrown)}]`,
      };
    }
  }

  return {
    fields: (object, taken, hasMessage) => guarded(object, taken, hasMessage, 'fields'),
    // A binding is written into every line of its logger, beside that line's message.
    bindings: (bindings, taken) => (trusted.has(bindings) ? bindings : guarded(bindings, taken, true, 'bindings')),
  };
}
