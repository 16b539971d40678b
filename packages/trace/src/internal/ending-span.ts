/**
 * What the redactor may know about the span this package is ending, while `span.end()` runs (the
 * SDK calls every processor's `onEnding` inside it): the run's correlation ID when core generated
 * it. The redactor then writes that ID as it is without checking its form again. Set just before
 * `end` and cleared just after, so it never speaks for another span.
 *
 * @internal
 */
export const endingSpan: { generatedCorrelationId: string | undefined } = { generatedCorrelationId: undefined };
