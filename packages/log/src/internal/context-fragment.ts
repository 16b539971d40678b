import { type JtsContext, currentContext } from '@jts/core';
import type { ValueSanitizer } from './sanitize-value.js';

/**
 * Produces the `,"correlation_id":…,"trading.…":…` part of a line for the current context.
 * A context is immutable and its `attributes` are computed once by core, so the JSON text is
 * built (redacted, escaped) once per context and kept in a WeakMap: a line costs one lookup.
 *
 * @param sanitizer - applies the redaction policy (e.g. masks `trading.account_id`)
 * @returns the fragment function; `''` outside any context
 */
export function createContextFragment(sanitizer: ValueSanitizer): () => string {
  const cache = new WeakMap<JtsContext, string>();
  let lastContext: JtsContext | undefined;
  let lastFragment = '';

  function build(context: JtsContext): string {
    let fragment = `,"correlation_id":${JSON.stringify(sanitizer.value(context.correlationId, 1))}`;
    const attributes = context.attributes;
    for (const key in attributes) {
      const value = sanitizer.keyed(key, attributes[key], 1);
      if (typeof value === 'string') fragment += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
    }
    return fragment;
  }

  return function contextFragment(): string {
    const context = currentContext();
    if (context === undefined) return '';
    if (context === lastContext) return lastFragment;
    let fragment = cache.get(context);
    if (fragment === undefined) {
      fragment = build(context);
      cache.set(context, fragment);
    }
    lastContext = context;
    lastFragment = fragment;
    return fragment;
  };
}
