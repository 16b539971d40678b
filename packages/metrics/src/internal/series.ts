import { escapeLabelValue } from './text-format.js';

/**
 * One label set of one metric, resolved once: the hot path touches only these fields.
 * Histograms keep per-bucket (non-cumulative) counts; the last slot is `+Inf`.
 *
 * @internal
 */
export class Series {
  /** Sanitised label values, in the family's label order. */
  readonly labelValues: readonly string[];
  /** `name="value",...` of this series, escaped once. */
  readonly labelText: string;
  /** Counter or gauge value. */
  value = 0;
  /** Histogram bucket counts (length buckets + 1), undefined for counters and gauges. */
  readonly counts: Float64Array | undefined;
  sum = 0;
  count = 0;
  /** Exemplars per slot (histogram bucket, or slot 0 of a counter): trace ID, span ID, value, time. */
  exemplarTrace: (string | undefined)[] | undefined;
  exemplarSpan: string[] | undefined;
  exemplarValue: Float64Array | undefined;
  exemplarTime: Float64Array | undefined;
  /** Exposition prefixes cached for the registry's current default labels. */
  cachedDefaults: string | undefined;
  cachedPrefixes: string[] | undefined;

  constructor(labelNames: readonly string[], labelValues: readonly string[], bucketCount: number) {
    this.labelValues = labelValues;
    let text = '';
    for (let index = 0; index < labelNames.length; index++) {
      text += `${index === 0 ? '' : ','}${labelNames[index]}="${escapeLabelValue(labelValues[index]!)}"`;
    }
    this.labelText = text;
    this.counts = bucketCount > 0 ? new Float64Array(bucketCount + 1) : undefined;
  }

  /** Stores the exemplar of one slot (allocates the exemplar arrays on first use). */
  setExemplar(slot: number, traceId: string, spanId: string, value: number, time = Date.now()): void {
    if (this.exemplarTrace === undefined) {
      const slots = this.counts === undefined ? 1 : this.counts.length;
      this.exemplarTrace = new Array<string | undefined>(slots).fill(undefined);
      this.exemplarSpan = new Array<string>(slots).fill('');
      this.exemplarValue = new Float64Array(slots);
      this.exemplarTime = new Float64Array(slots);
    }
    this.exemplarTrace[slot] = traceId;
    this.exemplarSpan![slot] = spanId;
    this.exemplarValue![slot] = value;
    this.exemplarTime![slot] = time;
  }

  /** Clears values and exemplars (registry reset). */
  reset(): void {
    this.value = 0;
    this.sum = 0;
    this.count = 0;
    this.counts?.fill(0);
    this.exemplarTrace = undefined;
  }
}
