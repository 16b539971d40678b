import type { DashboardJson } from './dashboards.js';
import { queryPanels } from './dashboards.js';

/** One query of one panel, ready to send to Prometheus. */
export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly description: string;
  /** The expression as written in the dashboard. */
  readonly expr: string;
  /** Whether Grafana sends it as an instant query (stat and table panels). */
  readonly instant: boolean;
  /** The range Grafana queries: the panel's own `timeFrom`, else the dashboard's default. */
  readonly from: string;
}

/** Every panel query of the dashboards, in order. */
export function panelQueries(dashboards: ReadonlyMap<string, DashboardJson>): PanelQuery[] {
  return [...dashboards].flatMap(([dashboard, json]) =>
    queryPanels(json).flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        dashboard,
        panel: panel.title ?? '',
        description: panel.description ?? '',
        expr: target.expr ?? '',
        instant: (target as { instant?: boolean }).instant === true,
        from: panel.timeFrom ? `now-${panel.timeFrom}` : json.time.from,
      })),
    ),
  );
}

/**
 * Replaces Grafana's variables as Grafana does with every variable at "All": `$name` becomes
 * the `.*` regex of the All option, `$__rate_interval` the given window (Grafana's is
 * max(4 x scrape interval, interval + scrape interval)).
 */
export function substituteVariables(expr: string, rateInterval: string): string {
  return expr.replaceAll('$__rate_interval', rateInterval).replace(/\$(\w+)/g, '.*');
}
