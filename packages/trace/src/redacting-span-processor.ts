import { type Attributes, type Context, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type RedactionPolicy, createRedactor, createValueWalker, defaultRedactionPolicy } from '@jts/core';
import { createAttributeRedactor } from './internal/attribute-redactor.js';

/**
 * Redacts and bounds one ending span in place (what the processor's `onEnding` does): its
 * attributes, every event's attributes (so an exception's `exception.message` and
 * `exception.stacktrace`), its status message and its name, all through `@jts/core`'s one value
 * walker. For pipelines that run it inside a processor of their own.
 *
 * @param policy - the policy (default: core's default policy); `false` bounds without redacting
 * @returns the step to run in `onEnding`
 * @internal
 */
export function createSpanRedaction(policy: RedactionPolicy | false = defaultRedactionPolicy): (span: Span) => void {
  const walker = createValueWalker({ redactor: createRedactor(policy) });
  const redact = createAttributeRedactor(walker);
  // Names and status messages repeat from span to span: the last one and its result are kept.
  let lastName = '';
  let lastNameResult = '';
  return (span) => {
    // The attributes object is the span's own; it is still writable until `end` completes.
    redact(span.attributes as Attributes);
    const events = span.events;
    for (let index = 0; index < events.length; index++) {
      const attributes = events[index]?.attributes;
      if (attributes !== undefined) redact(attributes);
    }
    const message = span.status.message;
    if (span.status.code === SpanStatusCode.ERROR && typeof message === 'string' && message !== '') {
      const redacted = walker.string(message);
      if (redacted !== message) span.setStatus({ code: SpanStatusCode.ERROR, message: redacted });
    }
    const name = span.name;
    if (name !== lastName) {
      lastName = name;
      lastNameResult = walker.string(name);
    }
    if (lastNameResult !== name) span.updateName(lastNameResult);
  };
}

/**
 * A span processor that applies the shared redaction policy in `onEnding`, after the last
 * `setAttribute` and before any exporting processor sees the span (the SDK calls every
 * processor's `onEnding` before any `onEnd`): span and event attributes (recorded exceptions
 * included), the status message and the name. Keys like `password` or `authorization` become
 * `[REDACTED]`, account numbers keep their last 4 characters, card numbers, IBANs, bearer and
 * basic credentials, JWTs and URL passwords inside strings are masked, and every string is cut
 * at the policy's `maxStringLength` first.
 *
 * @param policy - redaction policy (default: `@jts/core`'s default policy); `false` bounds without redacting
 * @returns the processor; place it first
 * @example
 * new NodeTracerProvider({ spanProcessors: [createRedactingSpanProcessor(), batch] });
 */
export function createRedactingSpanProcessor(policy: RedactionPolicy | false = defaultRedactionPolicy): SpanProcessor {
  return {
    onStart(_span: Span, _parentContext: Context): void {},
    onEnding: createSpanRedaction(policy),
    onEnd(_span: ReadableSpan): void {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
