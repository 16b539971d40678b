import type { OperationName } from '@jts/core';
import { METRIC_CATALOG } from '../catalog.js';
import type { MetricDefinition } from '../catalog-types.js';
import type { Engine } from './engine.js';
import { Series } from './series.js';
import { SeriesFamily } from './series-family.js';

const MUTED_CONTEXT = { sanitize: () => ({ value: '', problem: undefined }), maxSeries: 0, maxLabelValueLength: 0, onLabelProblem: () => {}, onOverflow: () => {} };

/** A family that takes every observation and keeps none: what an unselected operation records into. */
class MutedFamily extends SeriesFamily {
  private readonly sink: Series;

  constructor(definition: MetricDefinition) {
    super(definition, MUTED_CONTEXT);
    this.sink = new Series([], [], definition.buckets?.length ?? 0);
  }

  override resolve(): Series {
    return this.sink;
  }

  override observe(): void {}

  override increment(): void {}
}

/**
 * The engine the operation subscriber records through when `operations` selects only some
 * operations: the families of the others (by the catalog's `operation` field) are muted, so their
 * runs are not measured. The subscriber still listens on every operation channel; it should take
 * the selection itself and subscribe to the selected channels only.
 *
 * @internal
 */
export function engineForOperations(engine: Engine, selected: readonly OperationName[]): Engine {
  const muted = new Map<string, SeriesFamily>();
  for (const entry of METRIC_CATALOG as readonly MetricDefinition[]) {
    if (entry.operation !== undefined && !selected.includes(entry.operation)) muted.set(entry.name, new MutedFamily(entry));
  }
  if (muted.size === 0) return engine;
  return { ...engine, family: (name) => muted.get(name) ?? engine.family(name) };
}
