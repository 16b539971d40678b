import type { Series } from './series.js';
import type { SeriesFamily } from './series-family.js';

/** An exemplar as prom-client's `get()` returns it. */
interface ExemplarData {
  labelSet: Record<string, string>;
  value: number;
  timestamp: number;
}

/** One value as prom-client's `get()` / `getForPromString()` return it. */
export interface MetricValueData {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
  exemplar?: ExemplarData | null;
  sharedLabels?: Record<string, string>;
}

function labelsOf(family: SeriesFamily, series: Series): Record<string, string> {
  const labels: Record<string, string> = {};
  for (let index = 0; index < family.labelNames.length; index++)
    labels[family.labelNames[index]!] = series.labelValues[index]!;
  return labels;
}

function exemplarOf(series: Series, slot: number): ExemplarData | null {
  const trace = series.exemplarTrace?.[slot];
  if (trace === undefined) return null;
  return {
    labelSet: { trace_id: trace, span_id: series.exemplarSpan![slot]! },
    value: series.exemplarValue![slot]!,
    timestamp: series.exemplarTime![slot]! / 1000,
  };
}

/**
 * The values of a family in prom-client's shape, for `registry.metrics()`,
 * `registry.getMetricsAsJSON()` and the cluster `AggregatorRegistry`. `shared` keeps histogram
 * series labels in `sharedLabels` (the `getForPromString` form); otherwise they are merged.
 *
 * @internal
 */
export function familyValues(family: SeriesFamily, shared: boolean): MetricValueData[] {
  const values: MetricValueData[] = [];
  const all =
    family.overflow === undefined ? [...family.series.values()] : [...family.series.values(), family.overflow];
  for (const series of all) {
    const labels = labelsOf(family, series);
    if (series.counts === undefined) {
      const exemplar = family.definition.type === 'counter' ? exemplarOf(series, 0) : null;
      values.push(exemplar ? { labels, value: series.value, exemplar } : { labels, value: series.value });
      continue;
    }
    const bucketName = `${family.name}_bucket`;
    let cumulative = 0;
    for (let slot = 0; slot < series.counts.length; slot++) {
      cumulative += series.counts[slot]!;
      const le = slot < family.buckets!.length ? family.buckets![slot]! : '+Inf';
      values.push(
        shared
          ? {
              labels: { le },
              sharedLabels: labels,
              value: cumulative,
              metricName: bucketName,
              exemplar: exemplarOf(series, slot),
            }
          : {
              labels: { ...labels, le },
              value: cumulative,
              metricName: bucketName,
              exemplar: exemplarOf(series, slot),
            },
      );
    }
    const rest = shared ? { labels: {}, sharedLabels: labels } : { labels: { ...labels } };
    values.push({ ...rest, value: series.sum, metricName: `${family.name}_sum` });
    values.push({
      ...(shared ? { labels: {}, sharedLabels: labels } : { labels: { ...labels } }),
      value: series.count,
      metricName: `${family.name}_count`,
    });
  }
  return values;
}
