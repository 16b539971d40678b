// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is Compose, Grafana or Logstash syntax, not a template literal
import { catalogMetricNames, METRIC_CATALOG, RUNTIME_METRIC_NAMES } from '@jts/metrics';
import { analysePromql } from './promql.js';

/** A panel of a generated dashboard, as far as the lint reads it. */
export interface DashboardPanel {
  readonly type: string;
  readonly title?: string;
  readonly description?: string;
  readonly datasource?: { type?: string; uid?: string };
  readonly fieldConfig?: { defaults?: { unit?: string } };
  /** A panel's own relative range (`1h`), shorter than the dashboard's. */
  readonly timeFrom?: string;
  readonly targets?: ReadonlyArray<{ expr?: string; datasource?: { uid?: string } }>;
}

/**
 * Metric names the dashboards may use besides the catalog: what Prometheus records itself
 * (`up`, `scrape_*`, `ALERTS`), Prometheus' and Alertmanager's self-metrics and node-exporter's.
 * The live test proves each of them exists in the real binaries.
 */
export const NON_CATALOG_METRICS = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'ALERTS',
  'prometheus_rule_evaluation_failures_total',
  'prometheus_rule_group_last_duration_seconds',
  'alertmanager_notifications_total',
  'alertmanager_notifications_failed_total',
  'alertmanager_alerts',
  'node_uname_info',
  'node_cpu_seconds_total',
  'node_memory_MemAvailable_bytes',
  'node_memory_MemTotal_bytes',
  'node_filesystem_avail_bytes',
  'node_filesystem_size_bytes',
  'node_load1',
  'node_network_receive_bytes_total',
] as const;

const KNOWN = new Set(catalogMetricNames({ extraNames: NON_CATALOG_METRICS }));
// Series that only grow: counters and the _bucket/_count/_sum series of histograms.
const MONOTONIC = new Set<string>([
  ...METRIC_CATALOG.flatMap((entry) =>
    entry.type === 'counter'
      ? [entry.name]
      : entry.type === 'histogram'
        ? [`${entry.name}_bucket`, `${entry.name}_count`, `${entry.name}_sum`]
        : [],
  ),
  ...RUNTIME_METRIC_NAMES.flatMap(([name, type]) =>
    type === 'counter' ? [name] : type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [],
  ),
  ...NON_CATALOG_METRICS.filter((name) => name.endsWith('_total')),
]);

/**
 * The panel rules of the stack: title, unit and description; the templated data source; every
 * expression parses, names catalog metrics or defined recording rules only, reads counters only
 * through `rate`/`increase` over `$__rate_interval`, and aggregates by `le` before `histogram_quantile`.
 *
 * @param panel - a panel of the generated JSON
 * @param recordingRules - names the recording rules define
 * @returns problems, empty when the panel passes
 */
export function lintPanel(panel: DashboardPanel, recordingRules: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const where = panel.title ?? '(untitled)';
  if (!panel.title) problems.push('panel without a title');
  if (!panel.description) problems.push(`${where}: no description`);
  if (!panel.fieldConfig?.defaults?.unit) problems.push(`${where}: no unit`);
  if (panel.datasource?.uid !== '${datasource}')
    problems.push(`${where}: data source is not the templated \${datasource}`);
  if ((panel.targets ?? []).length === 0) problems.push(`${where}: no query`);
  for (const target of panel.targets ?? []) {
    if (target.datasource?.uid !== '${datasource}') problems.push(`${where}: query data source is not \${datasource}`);
    const expr = target.expr ?? '';
    const analysis = analysePromql(expr);
    problems.push(...analysis.errors.map((error) => `${where}: ${error}`));
    for (const range of analysis.ranges)
      if (range !== '$__rate_interval') problems.push(`${where}: range [${range}] instead of [$__rate_interval]`);
    for (const selector of analysis.selectors) {
      if (selector.name.includes(':')) {
        if (!recordingRules.has(selector.name))
          problems.push(`${where}: recording rule ${selector.name} is not defined`);
      } else if (!KNOWN.has(selector.name)) problems.push(`${where}: ${selector.name} is not in the metric catalog`);
      if (MONOTONIC.has(selector.name) && selector.rangeFunction !== 'rate' && selector.rangeFunction !== 'increase') {
        problems.push(`${where}: counter ${selector.name} outside rate()/increase()`);
      }
    }
    for (const grouping of analysis.quantileGroupings) {
      if (!grouping?.includes('le')) problems.push(`${where}: histogram_quantile over buckets not summed by le`);
    }
  }
  return problems;
}
