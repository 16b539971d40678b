/**
 * Span counts since `initTracing`, for `@jts/metrics` (`collectStats('trace', () => tracing.stats())`) or a health check.
 * After `close()`, `exported + dropped + rejected === ended`: every ended span is accounted for.
 */
export interface TracingStats {
  readonly spans: {
    /** Recording spans started (sampled or recording-only). */
    readonly started: number;
    /** Recording spans ended. */
    readonly ended: number;
    /** Spans the collector accepted (sent in a successful export, minus those it rejected). */
    readonly exported: number;
    /** Spans lost before the collector: queue full, an export that failed after its retries, or still unexported when `close()` ended (at its deadline, or at once when no collector listens). */
    readonly dropped: number;
    /** Spans the collector answered with as rejected (`partialSuccess.rejectedSpans`). */
    readonly rejected: number;
  };
  readonly exports: {
    /** Exports that failed (each may have carried up to a batch of spans). */
    readonly failed: number;
  };
}

/** Mutable counters behind {@link TracingStats}. @internal */
export interface StatsCounters {
  started: number;
  ended: number;
  exported: number;
  dropped: number;
  rejected: number;
  failedExports: number;
}

/** @internal */
export function createStatsCounters(): StatsCounters {
  return { started: 0, ended: 0, exported: 0, dropped: 0, rejected: 0, failedExports: 0 };
}

/** @internal */
export function snapshotStats(counters: StatsCounters): TracingStats {
  const { started, ended, exported, dropped, rejected, failedExports } = counters;
  return Object.freeze({
    spans: Object.freeze({ started, ended, exported, dropped, rejected }),
    exports: Object.freeze({ failed: failedExports }),
  });
}

/** Ended spans not yet exported, dropped or rejected: in the batch queue or in an export in flight. @internal */
export function pendingSpans(counters: StatsCounters): number {
  return Math.max(0, counters.ended - counters.exported - counters.dropped - counters.rejected);
}
