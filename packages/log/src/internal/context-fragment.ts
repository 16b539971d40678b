import { type JtsContext, currentContext } from '@jts/core';
import { contextMemo, correlationIdGeneratedHere, isGeneratedCorrelationId } from '@jts/core/internal';
import type { ValueSanitizer } from './sanitize-value.js';

// Strings JSON writes as they are between two quotes: printable ASCII without `"` and `\`.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const quote = (value: string) => (PLAIN.test(value) ? `"${value}"` : JSON.stringify(value));

interface FieldMemo {
  /** `,"trading.symbol":` */
  readonly prefix: string;
  /** Text of the field by raw value; `undefined` once the key's values proved too many to keep. */
  texts: Map<string, string> | undefined;
  overflows: number;
}
const KEYS_LIMIT = 256;
const VALUES_PER_KEY = 256;
const OVERFLOWS_BEFORE_GIVING_UP = 4;

/**
 * Produces the `,"correlation_id":…,"trading.…":…` part of a line for the current context.
 * A context is immutable and its `attributes` are computed once by core, so the JSON text is
 * built (redacted, escaped) once per context and kept on it (core's `contextMemo`, which a
 * tracer's span context shares with the run's): every further line of the order costs a lookup.
 *
 * @param sanitizer - applies the redaction policy (e.g. masks `trading.account_id`)
 * @returns the fragment function; `''` outside any context
 */
export function createContextFragment(sanitizer: ValueSanitizer): () => string {
  // Most trading fields repeat from order to order (strategy, symbol, exchange, side): the text of
  // a field is kept per key and value, up to VALUES_PER_KEY values; a key whose values keep
  // overflowing that (an order ID) stops being remembered. The text is a pure function of key and
  // value under this logger's policy, so a remembered text is the one that would be built; values
  // the policy changed (a masked account) are never remembered.
  const memos = new Map<string, FieldMemo>();
  const fieldText = (key: string, raw: string): string => {
    let memo = memos.get(key);
    if (memo === undefined) {
      if (memos.size >= KEYS_LIMIT) memos.clear();
      memos.set(key, (memo = { prefix: `,${JSON.stringify(key)}:`, texts: new Map(), overflows: 0 }));
    }
    const texts = memo.texts;
    if (texts !== undefined) {
      const known = texts.get(raw);
      if (known !== undefined) return known;
    }
    const value = sanitizer.keyed(key, raw, 1);
    const text = typeof value === 'string' ? memo.prefix + quote(value) : '';
    // Only values that passed unchanged are kept: nothing redacted stays in memory.
    if (texts !== undefined && value === raw) {
      if (texts.size >= VALUES_PER_KEY) {
        texts.clear();
        if (++memo.overflows >= OVERFLOWS_BEFORE_GIVING_UP) memo.texts = undefined;
      }
      memo.texts?.set(raw, text);
    }
    return text;
  };
  const owner = {};
  let lastContext: JtsContext | undefined;
  let lastFragment = '';

  function build(context: JtsContext): string {
    const correlationId = context.correlationId;
    // A generated ID is an identifier, never redacted (see isGeneratedCorrelationId), and lower-case
    // hex and dashes, written as it is. The context knows when core made it (no check of its form).
    let fragment: string;
    if (correlationIdGeneratedHere(context) || isGeneratedCorrelationId(correlationId))
      fragment = `,"correlation_id":"${correlationId}"`;
    else {
      const id = sanitizer.value(correlationId, 1);
      fragment = `,"correlation_id":${typeof id === 'string' ? quote(id) : JSON.stringify(id)}`;
    }
    const attributes = context.attributes;
    for (const key in attributes) fragment += fieldText(key, attributes[key] as string);
    return fragment;
  }

  return function contextFragment(): string {
    const context = currentContext();
    if (context === undefined) return '';
    if (context === lastContext) return lastFragment;
    const fragment = contextMemo(context, owner, build);
    lastContext = context;
    lastFragment = fragment;
    return fragment;
  };
}
