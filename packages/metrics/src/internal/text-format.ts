/** Escaping and number formatting shared by the exposition writers (Prometheus text and OpenMetrics). */

const NEEDS_LABEL_ESCAPE = /[\\\n"]/;

/**
 * Escapes a label value: backslash, newline and double quote, as both formats require.
 *
 * @internal
 */
export function escapeLabelValue(value: string): string {
  if (!NEEDS_LABEL_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/**
 * Escapes HELP text: backslash and newline (and, for OpenMetrics, double quotes).
 *
 * @internal
 */
export function escapeHelp(text: string, openMetrics: boolean): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return openMetrics ? escaped.replace(/"/g, '\\"') : escaped;
}

/**
 * Formats a sample value the way Prometheus parses it: `+Inf`, `-Inf`, `NaN`, else JS number text.
 *
 * @internal
 */
export function formatValue(value: number): string {
  if (Number.isFinite(value)) return `${value}`;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

/**
 * Formats `name="value"` pairs, skipping names in `exclude`.
 *
 * @internal
 */
export function formatLabelPairs(
  labels: Readonly<Record<string, unknown>>,
  exclude?: Readonly<Record<string, unknown>>,
): string[] {
  const pairs: string[] = [];
  for (const name of Object.keys(labels)) {
    if (exclude !== undefined && Object.hasOwn(exclude, name)) continue;
    const value = labels[name];
    pairs.push(`${name}="${typeof value === 'string' ? escapeLabelValue(value) : String(value)}"`);
  }
  return pairs;
}
