import type { Attributes, Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type RedactionPolicy, defaultRedactionPolicy } from '@jts/core';
import { createAttributeRedactor } from './internal/attribute-redactor.js';

/**
 * Redacts one ending span's attributes and event attributes in place (what the processor's
 * `onEnding` does), for pipelines that run it inside a processor of their own.
 *
 * @internal
 */
export function createSpanRedaction(policy: RedactionPolicy = defaultRedactionPolicy): (span: Span) => void {
  const redact = createAttributeRedactor(policy);
  return (span) => {
    // The attributes object is the span's own; it is still writable until `end` completes.
    redact(span.attributes as Attributes);
    const events = span.events;
    for (let index = 0; index < events.length; index++) {
      const attributes = events[index]?.attributes;
      if (attributes !== undefined) redact(attributes);
    }
  };
}

/**
 * A span processor that applies the shared redaction policy to span and event attributes in
 * `onEnding`: after the last `setAttribute` and before any exporting processor sees the span
 * (the SDK calls every processor's `onEnding` before any `onEnd`). Keys like `password` or
 * `authorization` become `[REDACTED]`, account numbers keep their last 4 characters, and card
 * numbers, bearer tokens, JWTs and URL passwords inside string values are masked.
 *
 * @param policy - redaction policy (default: `@jts/core`'s default policy)
 * @returns the processor; place it first
 * @example
 * new NodeTracerProvider({ spanProcessors: [createRedactingSpanProcessor(), batch] });
 */
export function createRedactingSpanProcessor(policy: RedactionPolicy = defaultRedactionPolicy): SpanProcessor {
  return {
    onStart(_span: Span, _parentContext: Context): void {},
    onEnding: createSpanRedaction(policy),
    onEnd(_span: ReadableSpan): void {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
