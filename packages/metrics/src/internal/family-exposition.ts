import type { ExpositionSink } from './exposition-sink.js';
import type { Series } from './series.js';
import type { SeriesFamily } from './series-family.js';
import { escapeHelp, formatValue } from './text-format.js';

/** Whether to write OpenMetrics (exemplars, `_total` samples under a bare family name) or Prometheus text. */
export interface ExpositionFormat {
  readonly openMetrics: boolean;
  /** Registry default labels as `name="value"` pairs (only those the family does not define), or ''. */
  readonly defaultLabelsFor: (family: SeriesFamily) => string;
}

/** Family name in the header: OpenMetrics counters drop `_total` (their samples keep it). */
export function familyName(family: SeriesFamily, openMetrics: boolean): string {
  return openMetrics && family.definition.type === 'counter' ? family.name.replace(/_total$/, '') : family.name;
}

function exemplarText(series: Series, slot: number): string {
  const trace = series.exemplarTrace?.[slot];
  if (trace === undefined) return '';
  return ` # {trace_id="${trace}",span_id="${series.exemplarSpan![slot]}"} ${formatValue(series.exemplarValue![slot]!)} ${series.exemplarTime![slot]! / 1000}`;
}

/**
 * Cached per series: the bucket line opening (`name_bucket{labels,le="`), then the `_sum` and
 * `_count` openings (or the one sample opening of a counter or gauge). Caching one string per
 * bucket line was measured no faster and holds ~18x the memory.
 */
function prefixes(family: SeriesFamily, series: Series, defaults: string): string[] {
  if (series.cachedDefaults === defaults && series.cachedPrefixes !== undefined) return series.cachedPrefixes;
  const labels = series.labelText && defaults ? `${series.labelText},${defaults}` : series.labelText || defaults;
  let result: string[];
  if (family.buckets !== undefined) {
    const braces = labels ? `{${labels}}` : '';
    result = [
      `${family.name}_bucket{${labels}${labels ? ',' : ''}le="`,
      `${family.name}_sum${braces} `,
      `${family.name}_count${braces} `,
    ];
  } else {
    result = [`${family.name}${labels ? `{${labels}}` : ''} `];
  }
  // Flatten once: a cached cons-string would be re-traversed on every scrape.
  for (const prefix of result) flatten(prefix);
  series.cachedDefaults = defaults;
  series.cachedPrefixes = result;
  return result;
}

/** Forces V8 to flatten a string (ToNumber reads it as one flat sequence). */
function flatten(text: string): void {
  Number(text);
}

/** Series written between two yields to the event loop (~36,000 histogram lines, a few ms). */
export const SERIES_PER_SLICE = 2000;

const leTextCache = new WeakMap<SeriesFamily, string[]>();

/**
 * Writes one family into the sink, one string per series block, yielding to the event loop
 * every {@link SERIES_PER_SLICE} series. The hot loop concatenates cached per-series prefixes
 * with numbers: no label objects, no per-sample escaping.
 *
 * @internal
 */
export async function writeFamily(family: SeriesFamily, format: ExpositionFormat, sink: ExpositionSink): Promise<void> {
  const { openMetrics } = format;
  const name = familyName(family, openMetrics);
  const type = family.definition.type;
  sink.write(`# HELP ${name} ${escapeHelp(family.definition.help, openMetrics)}\n# TYPE ${name} ${type}\n`);
  const defaults = format.defaultLabelsFor(family);
  let leTexts = leTextCache.get(family);
  if (leTexts === undefined && family.buckets !== undefined) {
    leTexts = [...Array.from(family.buckets, (bound) => formatValue(bound)), '+Inf'].map((le) => `${le}"} `);
    for (const text of leTexts) flatten(text);
    leTextCache.set(family, leTexts);
  }
  const exemplars = openMetrics && type !== 'gauge';
  const write = (series: Series) => {
    const cached = prefixes(family, series, defaults);
    const open = cached[0]!;
    const counts = series.counts;
    if (counts === undefined) {
      sink.write(`${cached[0]}${formatValue(series.value)}${exemplars ? exemplarText(series, 0) : ''}\n`);
      return;
    }
    let text = '';
    let cumulative = 0;
    const withExemplars = exemplars && series.exemplarTrace !== undefined;
    for (let slot = 0; slot < counts.length; slot++) {
      cumulative += counts[slot]!;
      // Small integers print through V8's fast Smi path; counts past 2^30 keep their double form.
      text +=
        open +
        leTexts![slot]! +
        (cumulative < 1073741824 ? cumulative | 0 : cumulative) +
        (withExemplars ? `${exemplarText(series, slot)}\n` : '\n');
    }
    sink.write(`${text}${cached[1]}${formatValue(series.sum)}\n${cached[2]}${series.count}\n`);
  };
  let written = 0;
  for (const series of family.series.values()) {
    write(series);
    // A scrape of a big family must not stall the event loop for its whole duration.
    if (++written % SERIES_PER_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  if (family.overflow !== undefined) write(family.overflow);
}
