import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertsOverview } from './alerts-overview.js';
import { marketData } from './market-data.js';
import { observabilityPipeline } from './observability-pipeline.js';
import { strategyPerformance } from './strategy-performance.js';
import { systemHealth } from './system-health.js';
import { tradingOperations } from './trading-operations.js';

/** Every provisioned dashboard by file name (`infra/grafana/dashboards/<name>.json`). */
export const DASHBOARDS: Readonly<Record<string, () => DashboardBuilder>> = {
  'trading-operations': tradingOperations,
  'system-health': systemHealth,
  'strategy-performance': strategyPerformance,
  'market-data': marketData,
  'alerts-overview': alertsOverview,
  'observability-pipeline': observabilityPipeline,
};

/**
 * Renders every dashboard to the JSON Grafana provisions, keyed by file name.
 *
 * @returns file name (without `.json`) to JSON text (two-space indent, trailing newline)
 */
export function renderDashboards(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(DASHBOARDS).map(([name, build]) => [name, `${JSON.stringify(build().build(), null, 2)}\n`]),
  );
}
