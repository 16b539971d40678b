import type { CatalogEntry, LabelsOf, MetricDefinition } from './catalog-types.js';
import type { CatalogMetricName, MetricCatalog } from './catalog.js';
import { acceptValue, applyValue, type Engine } from './internal/engine.js';
import type { Series } from './internal/series.js';
import type { SeriesFamily } from './internal/series-family.js';

/** A histogram series resolved once. */
export interface HistogramHandle {
  /** Observes a value (seconds, bytes, ...); adds an exemplar when a sampled span is active. */
  observe(value: number): void;
}
/** A counter series resolved once. */
export interface CounterHandle {
  /** Adds `amount` (default 1); adds an exemplar when a sampled span is active. */
  inc(amount?: number): void;
}
/** A gauge series resolved once. */
export interface GaugeHandle {
  /** Sets the value. */
  set(value: number): void;
  /** Adds `amount` (default 1). */
  inc(amount?: number): void;
  /** Subtracts `amount` (default 1). */
  dec(amount?: number): void;
}

/** The handle type of a catalog entry. */
export type HandleOf<Definition extends MetricDefinition> = Definition['type'] extends 'histogram'
  ? HistogramHandle
  : Definition['type'] extends 'counter'
    ? CounterHandle
    : GaugeHandle;

/** Labels of a catalog metric by name. */
export type CatalogLabels<Name extends CatalogMetricName> = LabelsOf<CatalogEntry<MetricCatalog, Name>>;
/** Handle of a catalog metric by name. */
export type CatalogHandle<Name extends CatalogMetricName> = HandleOf<CatalogEntry<MetricCatalog, Name>>;

/**
 * Builds a pre-resolved handle: the label set is resolved (and cardinality-checked) now, and
 * again only after a registry reset.
 *
 * @internal
 */
export function createHandle(
  engine: Engine,
  family: SeriesFamily,
  labels: Readonly<Record<string, unknown>>,
): HistogramHandle | CounterHandle | GaugeHandle {
  let series: Series = family.resolve(labels);
  let generation = family.generation;
  const current = (): Series => {
    if (generation !== family.generation) {
      series = family.resolve(labels);
      generation = family.generation;
    }
    return series;
  };
  const span = () => (engine.readSpan === undefined ? undefined : engine.readSpan());
  const record = (value: number, mode: 'observe' | 'inc' | 'set', withSpan: boolean) => {
    if (acceptValue(engine, family, value, mode))
      applyValue(family, current(), value, mode, withSpan ? span() : undefined);
  };
  switch (family.definition.type) {
    case 'histogram':
      return { observe: (value: number) => record(value, 'observe', true) };
    case 'counter':
      return { inc: (amount = 1) => record(amount, 'inc', true) };
    default:
      return {
        set: (value: number) => record(value, 'set', false),
        inc: (amount = 1) => record(amount, 'inc', false),
        dec: (amount = 1) => record(-amount, 'inc', false),
      };
  }
}
