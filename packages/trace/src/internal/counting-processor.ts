import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { StatsCounters } from '../tracing-stats.js';

/** Counts recording spans started and ended, in front of the processor that exports them. */
export function createCountingProcessor(inner: SpanProcessor, counters: StatsCounters): SpanProcessor {
  return {
    onStart(span: Span, parentContext: Context): void {
      counters.started++;
      inner.onStart(span, parentContext);
    },
    onEnd(span: ReadableSpan): void {
      counters.ended++;
      inner.onEnd(span);
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}
