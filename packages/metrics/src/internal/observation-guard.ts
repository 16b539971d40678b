import { JtsError, reportDiagnostic } from '@jts/core';

/** Why an observation was rejected or repaired. */
export type InvalidReason =
  | 'not_a_number'
  | 'infinite'
  | 'negative'
  | 'counter_decrement'
  | 'unknown_label'
  | 'invalid_label_type'
  | 'label_value_too_long';

const DESCRIPTIONS: Record<InvalidReason, string> = {
  not_a_number: 'the value is not a number (NaN or another type)',
  infinite: 'the value is infinite',
  negative: 'a duration or size cannot be negative',
  counter_decrement: 'a counter can only go up; use a gauge for values that go down',
  unknown_label: 'the labels object has a key the catalog does not define for this metric',
  invalid_label_type: 'a label value must be a string, finite number, boolean or bigint',
  label_value_too_long: 'a label value is longer than maxLabelValueLength',
};

/**
 * Classifies an observed value: undefined when valid. Histograms and counters take finite
 * non-negative numbers, gauges any finite number.
 *
 * @internal
 */
export function classifyValue(type: string, value: unknown): InvalidReason | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return 'not_a_number';
  if (value === Infinity || value === -Infinity) return 'infinite';
  if (value < 0 && type !== 'gauge') return type === 'counter' ? 'counter_decrement' : 'negative';
  return undefined;
}

/**
 * Reports bad input: a `JtsError` (`JTS_ERR_INVALID_OBSERVATION`) in strict mode, otherwise a
 * count in `jts_metrics_invalid_observations_total` plus a diagnostic, and the caller carries on.
 *
 * @internal
 */
export function createObservationGuard(strict: boolean, count: (metric: string, reason: InvalidReason) => void) {
  return function invalid(metric: string, reason: InvalidReason, detail = ''): void {
    const message = `Invalid observation for ${metric}: ${DESCRIPTIONS[reason]}${detail ? ` (${detail})` : ''}.`;
    if (strict)
      throw new JtsError(
        'JTS_ERR_INVALID_OBSERVATION',
        `${message} Fix the call; without strict mode it is counted, not thrown.`,
      );
    count(metric, reason);
    reportDiagnostic({ source: 'metrics', event: 'invalid_observation', message });
  };
}

/** A guard built by {@link createObservationGuard}. */
export type ObservationGuard = ReturnType<typeof createObservationGuard>;
