import type { TracingStats } from '@jts/core';

/** Span counts since `initTracing`; the shape lives in `@jts/core`, where `@jts/metrics` binds its self-metrics to it by type. */
export type { TracingStats };

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
