import type { ActiveSpanIds } from './exemplar-source.js';
import { classifyValue, type InvalidReason, type ObservationGuard } from './observation-guard.js';
import type { Series } from './series.js';
import type { SeriesFamily } from './series-family.js';

/**
 * What recorders share: the families by name, the bad-input guard and the exemplar reader.
 *
 * @internal
 */
export interface Engine {
  readonly families: ReadonlyMap<string, SeriesFamily>;
  readonly invalid: ObservationGuard;
  readonly strict: boolean;
  /** Reads the sampled active span; undefined when exemplars are off or OpenTelemetry is absent. */
  readonly readSpan: (() => ActiveSpanIds | undefined) | undefined;
  family(name: string): SeriesFamily;
}

/** Throws (strict) or counts when `labels` has a key outside `allowed`. Only called in strict mode or for new series. */
export function checkLabelKeys(
  engine: Engine,
  metric: string,
  labels: object | undefined,
  allowed: ReadonlySet<string>,
): void {
  if (labels === undefined) return;
  for (const key in labels) {
    if (!allowed.has(key)) engine.invalid(metric, 'unknown_label', `label key ${JSON.stringify(key.slice(0, 64))}`);
  }
}

/**
 * Validates a value for a family and mode: true when it may be recorded, otherwise reported
 * through the guard (thrown in strict mode, counted in production). Checked before the label set
 * is resolved, so a bad value never creates a series.
 *
 * @internal
 */
export function acceptValue(
  engine: Engine,
  family: SeriesFamily,
  value: number,
  mode: 'observe' | 'inc' | 'set',
): boolean {
  // Fast accept: a finite number and, for histograms and counters, non-negative.
  if (
    typeof value === 'number' &&
    (family.signed || mode === 'set' ? value - value === 0 : value >= 0 && value < Infinity)
  )
    return true;
  const type = mode === 'set' ? 'gauge' : family.definition.type;
  const reason: InvalidReason = classifyValue(type, value) ?? 'not_a_number';
  engine.invalid(family.name, reason);
  return false;
}

/**
 * Records an accepted value into a resolved series: observes, increments or sets.
 *
 * @internal
 */
export function applyValue(
  family: SeriesFamily,
  series: Series,
  value: number,
  mode: 'observe' | 'inc' | 'set',
  span: ActiveSpanIds | undefined,
): void {
  if (mode === 'observe') family.observe(series, value, span);
  else if (mode === 'set') series.value = value;
  else if (family.definition.type === 'counter') family.increment(series, value, span);
  else series.value += value;
}

/**
 * Validates, resolves and records: the path of every labels-object recorder.
 *
 * @internal
 */
export function recordValue(
  engine: Engine,
  family: SeriesFamily,
  labels: object | undefined,
  value: number,
  mode: 'observe' | 'inc' | 'set',
  span: ActiveSpanIds | undefined,
): boolean {
  if (!acceptValue(engine, family, value, mode)) return false;
  applyValue(family, family.resolve(labels as Record<string, unknown> | undefined), value, mode, span);
  return true;
}
