import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { StatsCounters } from '../tracing-stats.js';

/**
 * Counts recording spans started and ended in front of the processor that exports them, and runs
 * `ending` (the redaction) in `onEnding`: one processor instead of three, so the provider makes
 * one call per span event instead of one per processor.
 */
export function createCountingProcessor(
  inner: SpanProcessor,
  counters: StatsCounters,
  ending?: (span: Span) => void,
): SpanProcessor {
  const innerEnding = inner.onEnding?.bind(inner);
  const onEnding =
    ending === undefined
      ? innerEnding
      : innerEnding === undefined
        ? ending
        : (span: Span) => {
            ending(span);
            innerEnding(span);
          };
  return {
    onStart(span: Span, parentContext: Context): void {
      counters.started++;
      inner.onStart(span, parentContext);
    },
    ...(onEnding !== undefined && { onEnding }),
    onEnd(span: ReadableSpan): void {
      counters.ended++;
      inner.onEnd(span);
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}
