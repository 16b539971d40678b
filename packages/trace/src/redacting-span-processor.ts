import type { AttributeValue, Attributes, Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type KeyTreatment, type RedactionPolicy, createRedactor, defaultRedactionPolicy, maskLast4 } from '@jts/core';
import { createStringRedactor } from './internal/string-redactor.js';

type ValueRedactor = (key: string, value: AttributeValue) => AttributeValue;

function createValueRedactor(policy: RedactionPolicy): ValueRedactor {
  const { classifyKey } = createRedactor(policy);
  const redactString = createStringRedactor(policy);
  const redactOne = (treatment: KeyTreatment, value: unknown): unknown => {
    if (treatment === 'redact') return policy.censor;
    if (treatment === 'mask') return maskLast4(String(value));
    return typeof value === 'string' ? redactString(value) : value;
  };
  return (key, value) => {
    const treatment = classifyKey(key);
    if (Array.isArray(value)) {
      let changed = false;
      const out = value.map((item) => {
        const next = item === null || item === undefined ? item : redactOne(treatment, item);
        if (next !== item) changed = true;
        return next;
      });
      return changed ? (out as AttributeValue) : value;
    }
    return redactOne(treatment, value) as AttributeValue;
  };
}

function redactInPlace(redact: ValueRedactor, attributes: Attributes): void {
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    const next = redact(key, value);
    if (next !== value) attributes[key] = next;
  }
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
  const redactor = createValueRedactor(policy);
  return {
    onStart(_span: Span, _parentContext: Context): void {},
    onEnding(span: Span): void {
      // The attributes object is the span's own; it is still writable until `end` completes.
      redactInPlace(redactor, span.attributes as Attributes);
      for (const event of span.events) if (event.attributes) redactInPlace(redactor, event.attributes);
    },
    onEnd(_span: ReadableSpan): void {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
