import { type JtsContext, currentContext } from '@jts/core';
import { contextMemo, isGeneratedCorrelationId } from '@jts/core/internal';
import type { ValueSanitizer } from './sanitize-value.js';

// Strings JSON writes as they are between two quotes: printable ASCII without `"` and `\`.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const quote = (value: string) => (PLAIN.test(value) ? `"${value}"` : JSON.stringify(value));

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
  // Keys are the trading conventions' attribute names: their JSON text is kept once.
  const keyTexts = new Map<string, string>();
  const keyText = (key: string) => {
    let text = keyTexts.get(key);
    if (text === undefined) {
      if (keyTexts.size >= 1024) keyTexts.clear();
      keyTexts.set(key, (text = `,${JSON.stringify(key)}:`));
    }
    return text;
  };
  const owner = {};
  let lastContext: JtsContext | undefined;
  let lastFragment = '';

  function build(context: JtsContext): string {
    const correlationId = context.correlationId;
    // A generated ID is an identifier, never redacted (see isGeneratedCorrelationId).
    const id = isGeneratedCorrelationId(correlationId) ? correlationId : sanitizer.value(correlationId, 1);
    let fragment = `,"correlation_id":${typeof id === 'string' ? quote(id) : JSON.stringify(id)}`;
    const attributes = context.attributes;
    for (const key in attributes) {
      const value = sanitizer.keyed(key, attributes[key], 1);
      if (typeof value === 'string') fragment += keyText(key) + quote(value);
    }
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
