/** Shapes of the metric catalog: one definition per metric, as plain data. */
import type { OperationName } from '@jts/core';
import type { StatsBinding } from './stats-sources.js';

/** Prometheus metric type of a catalog entry. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** Which part of the catalog an entry belongs to (sections of `docs/reference/metrics.md`). */
export type MetricGroup = 'orders' | 'strategies' | 'market_data' | 'risk' | 'api' | 'database' | 'operations' | 'self';

/** One metric of the catalog. */
export interface MetricDefinition {
  /** Prometheus name with unit suffix (counters end in `_total`). */
  readonly name: string;
  /** Prometheus type. */
  readonly type: MetricType;
  /** HELP text (one sentence, no quotes or newlines). */
  readonly help: string;
  /** Label names in exposition order; never unbounded identifiers (order or user IDs). */
  readonly labelNames: readonly string[];
  /** Histogram bucket upper bounds, ascending (histograms only). */
  readonly buckets?: readonly number[];
  /** Unit of the value: `seconds`, `percent`, `ratio`, `currency`, `orders`, ... */
  readonly unit: string;
  /** Catalog section. */
  readonly group: MetricGroup;
  /** Which recorder method or SDK component writes it (`recordOrderExecution`, `cardinality guard`). */
  readonly source?: string;
  /** The `@jts/core` operation whose runs it measures. */
  readonly operation?: OperationName;
  /** The `stats()` field it exposes at scrape time (self-metrics of the other packages). */
  readonly stats?: StatsBinding;
  /** Name used by the source specification when it differs (and why it changed). */
  readonly formerly?: { readonly name: string; readonly reason: string };
}

/** The catalog entry of one name, typed by its literal. */
export type CatalogEntry<Catalog extends readonly MetricDefinition[], Name extends string> = Extract<
  Catalog[number],
  { readonly name: Name }
>;

/** `strategy_id` becomes `strategyId`. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** A label value as accepted by the recorders: strings, finite numbers, booleans, bigints. */
export type LabelValue = string | number | boolean | bigint;

/** Labels of one catalog entry, keyed by their camelCase names (`{ strategyId, symbol }`). */
export type LabelsOf<Definition extends MetricDefinition> = {
  readonly [Label in Definition['labelNames'][number] as CamelCase<Label>]?: LabelValue;
};
