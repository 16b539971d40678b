import { catalogMetricNames } from '@jts/metrics';

/** The scrape jobs of `prometheus.yml` that run JTS services (the examples users start beside the stack). */
export const SERVICE_JOBS: readonly string[] = ['order-service', 'strategy-engine', 'market-data'];

const CATALOG = new Set(catalogMetricNames());

/**
 * Where a metric a dashboard or rule reads comes from: the scrape jobs that expose it (any one
 * of them is enough), `every job` for what Prometheus records per target (`up`, `scrape_*`),
 * `rules` for what rule evaluation writes (`ALERTS`, recording rules), or undefined when nothing
 * in the stack exposes it.
 *
 * @param name - a metric name as a selector names it
 * @returns the job names, `'every job'`, `'rules'` or undefined
 */
export function sourceOf(name: string): readonly string[] | 'every job' | 'rules' | undefined {
  if (name === 'ALERTS' || name === 'ALERTS_FOR_STATE' || name.includes(':')) return 'rules';
  if (name === 'up' || name.startsWith('scrape_')) return 'every job';
  if (name.startsWith('node_')) return ['node-exporter'];
  if (name.startsWith('prometheus_')) return ['prometheus'];
  if (name.startsWith('alertmanager_')) return ['alertmanager'];
  // The catalog and prom-client's runtime metrics: every JTS service exposes them.
  if (CATALOG.has(name)) return SERVICE_JOBS;
  return undefined;
}
