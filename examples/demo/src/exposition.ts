/** One sample of a Prometheus or OpenMetrics exposition, with its exemplar if it has one. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly exemplar?: { readonly labels: Readonly<Record<string, string>>; readonly value: number };
  /** The line as exposed. */
  readonly line: string;
}

const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s+(\S+)(?:\s+(?!#)\S+)?(?:\s+#\s+\{([^}]*)\}\s+(\S+))?/;

const labelsOf = (text: string | undefined): Record<string, string> =>
  Object.fromEntries(
    [...(text ?? '').matchAll(LABEL)].map((match) => [
      match[1]!,
      match[2]!.replace(/\\(.)/g, (_all, character: string) => (character === 'n' ? '\n' : character)),
    ]),
  );

/**
 * Parses the samples of a text exposition (Prometheus 0.0.4 or OpenMetrics 1.0, whose exemplars
 * follow ` # `). Written here because the text-format parsers on npm predate OpenMetrics and drop
 * exemplars, which the demo needs.
 *
 * @param text - what `/metrics` answered
 * @returns every sample line, in order
 */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const exemplar = match[4] === undefined ? undefined : { labels: labelsOf(match[4]), value: Number(match[5]) };
    samples.push({
      name: match[1]!,
      labels: labelsOf(match[2]),
      value: Number(match[3]),
      ...(exemplar && { exemplar }),
      line,
    });
  }
  return samples;
}

/** Sums the samples named `name` whose labels include `match`. */
export function sum(samples: readonly Sample[], name: string, match: Readonly<Record<string, string>> = {}): number {
  return samples
    .filter(
      (sample) => sample.name === name && Object.entries(match).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((total, sample) => total + sample.value, 0);
}

/**
 * The cumulative buckets of a histogram summed over all its series, by upper bound.
 *
 * @param samples - parsed exposition
 * @param histogram - the histogram's name (without `_bucket`)
 * @returns `[le, count]` pairs, ascending
 */
export function buckets(samples: readonly Sample[], histogram: string): [number, number][] {
  const byBound = new Map<number, number>();
  for (const sample of samples) {
    if (sample.name !== `${histogram}_bucket`) continue;
    const bound = sample.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(sample.labels.le);
    byBound.set(bound, (byBound.get(bound) ?? 0) + sample.value);
  }
  return [...byBound.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * A quantile from cumulative buckets, interpolated linearly inside the bucket the way
 * Prometheus' `histogram_quantile` does.
 *
 * @param cumulative - `[le, count]` pairs, ascending (as {@link buckets} returns)
 * @param q - the quantile, 0 to 1
 * @returns the estimate, or undefined without observations
 */
export function quantile(cumulative: readonly [number, number][], q: number): number | undefined {
  const total = cumulative.at(-1)?.[1] ?? 0;
  if (total === 0) return undefined;
  const rank = q * total;
  let previousBound = 0;
  let previousCount = 0;
  for (const [bound, count] of cumulative) {
    if (count >= rank) {
      if (bound === Number.POSITIVE_INFINITY) return previousBound;
      return previousBound + (bound - previousBound) * ((rank - previousCount) / Math.max(1, count - previousCount));
    }
    previousBound = bound;
    previousCount = count;
  }
  return previousBound;
}
