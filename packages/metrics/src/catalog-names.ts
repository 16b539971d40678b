import { METRIC_CATALOG, RUNTIME_METRIC_NAMES } from './catalog.js';

/** Options of {@link catalogMetricNames} and {@link findUnknownMetricNames}. */
export interface CatalogNameOptions {
  /** Prefix given to `collectDefaultMetrics` (`defaultMetricsPrefix`). Default none. */
  readonly runtimePrefix?: string;
  /** More names to accept (other exporters: `up`, `node_*` from node-exporter, ...). */
  readonly extraNames?: Iterable<string>;
}

// Series names as Prometheus stores them. The bare OpenMetrics family name of a counter
// (`order_execution`) is not one: a query on it returns nothing, so the check rejects it.
function seriesNames(name: string, type: string): string[] {
  if (type === 'histogram') return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
  return [name];
}

/**
 * Every series name the SDK can expose, as Prometheus stores it: catalog entries with their
 * `_bucket`, `_sum`, `_count` series, counters with `_total`, and the default runtime metrics.
 *
 * @param options - runtime metric prefix and extra names
 * @returns a sorted list of unique names
 * @example
 * catalogMetricNames().includes('order_execution_duration_seconds_bucket'); // true
 */
export function catalogMetricNames(options: CatalogNameOptions = {}): string[] {
  const names = new Set<string>();
  for (const entry of METRIC_CATALOG) for (const name of seriesNames(entry.name, entry.type)) names.add(name);
  const prefix = options.runtimePrefix ?? '';
  for (const [name, type] of RUNTIME_METRIC_NAMES)
    for (const series of seriesNames(`${prefix}${name}`, type)) names.add(series);
  for (const name of options.extraNames ?? []) names.add(name);
  return [...names].sort();
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'atan2',
  'inf',
  'nan',
  'start',
  'end',
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);

// Strings, comments, Grafana variables ($__rate_interval, ${var}, [[var]]), label matchers in
// braces, groupings after a keyword, numbers and durations, then identifiers.
const TOKEN =
  /\$\{[^}]*\}|\$\w+|\[\[[^\]]*\]\]|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`|#[^\n]*|\{[^}]*\}|\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)|\d[\w.]*|[A-Za-z_:][A-Za-z0-9_:]*/g;

/**
 * Lists the metric names a PromQL expression uses that the catalog does not define, so
 * dashboards and alert rules can be checked in CI. Function names, keywords, label names,
 * strings and durations are ignored, as are recording-rule names (they contain `:`).
 *
 * @param promqlExpression - a PromQL expression
 * @param options - runtime prefix and extra accepted names
 * @returns unknown names in order of appearance, without duplicates
 * @example
 * findUnknownMetricNames('histogram_quantile(0.95, sum by (le) (rate(order_latency_bucket[5m])))');
 * // ['order_latency_bucket']
 */
export function findUnknownMetricNames(promqlExpression: string, options: CatalogNameOptions = {}): string[] {
  const known = new Set(catalogMetricNames(options));
  const unknown: string[] = [];
  for (const match of promqlExpression.matchAll(TOKEN)) {
    const token = match[0];
    const first = token.charCodeAt(0);
    const isIdentifier = (first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first === 95;
    if (!isIdentifier || /^(by|without|on|ignoring|group_left|group_right)\s*\(/.test(token)) continue;
    if (/^\s*\(/.test(promqlExpression.slice(match.index + token.length))) continue;
    if (KEYWORDS.has(token.toLowerCase()) || token.includes(':')) continue;
    if (!known.has(token) && !unknown.includes(token)) unknown.push(token);
  }
  const byName = /__name__\s*=\s*"([^"]+)"/g;
  for (const match of promqlExpression.matchAll(byName)) {
    const name = match[1]!;
    if (!known.has(name) && !name.includes(':') && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}
