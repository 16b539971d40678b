import type {
  AuditTrailStats,
  CorrelationIdStats,
  HttpStats,
  LoggerStats,
  RunSubscriberStats,
  TracingStats,
} from '@jts/core';

/**
 * The `stats()` objects whose fields feed self-metrics, by source name. The shapes are the
 * `@jts/core` types the other packages return, so every binding below is checked against them.
 */
export interface StatsSources {
  /** `correlationIdStats()` of `@jts/core` (collected automatically). */
  readonly core: CorrelationIdStats;
  /** `runSubscriberStats()` of `@jts/core`: failures contained in run subscribers (collected automatically). */
  readonly runs: RunSubscriberStats;
  /** `httpStats()` of `@jts/http` (the HTTP adapters). */
  readonly http: HttpStats;
  /** `logger.stats()` of `@jts/log`. */
  readonly log: LoggerStats;
  /** `tracing.stats()` of `@jts/trace`. */
  readonly trace: TracingStats;
  /** `audit.stats()` of a `@jts/compliance` audit trail. */
  readonly audit: AuditTrailStats;
}

/** Name of a stats source. */
export type StatsSourceName = keyof StatsSources;

/** What `collectStats` accepts: the sources of the other packages, with `compliance` as another name for `audit`. */
export type CollectableStatsSource = Exclude<StatsSourceName, 'core' | 'runs'> | 'compliance';

/** The stats object expected from a collectable source. */
export type StatsOf<Source extends CollectableStatsSource> = StatsSources[Source extends 'compliance'
  ? 'audit'
  : Source];

type AllNumbers<T> = T extends object ? ([T[keyof T]] extends [number] ? true : false) : false;

/** Dotted paths of `T` that lead to a number (`elasticsearch.spooledBytes`). */
export type NumberPath<T> = {
  [K in keyof T & string]-?: [NonNullable<T[K]>] extends [number]
    ? K
    : NonNullable<T[K]> extends object
      ? `${K}.${NumberPath<NonNullable<T[K]>>}`
      : never;
}[keyof T & string];

type NestedCountsPath<T> = {
  [K in keyof T & string]-?:
    | (AllNumbers<NonNullable<T[K]>> extends true ? K : never)
    | (NonNullable<T[K]> extends object ? `${K}.${NestedCountsPath<NonNullable<T[K]>>}` : never);
}[keyof T & string];

/** Dotted paths of `T` that lead to an object of numbers (`lines`), or `*` when `T` is one itself. */
export type CountsPath<T> = (AllNumbers<T> extends true ? '*' : never) | NestedCountsPath<T>;

/**
 * Where a self-metric reads its value at scrape time: a number (`field`, for an unlabelled
 * metric) or an object of numbers (`byKey`, one series per key under the metric's one label).
 * Paths are checked against the source's type: a renamed field is a compile error.
 */
export type StatsBinding = {
  [Source in StatsSourceName]:
    | { readonly from: Source; readonly field: NumberPath<StatsSources[Source]> }
    | { readonly from: Source; readonly byKey: CountsPath<StatsSources[Source]> };
}[StatsSourceName];
