import { readdirSync, readFileSync } from 'node:fs';
import type { DashboardPanel } from './dashboard-lint.js';
import { INFRA_DIRECTORY, readInfraYaml } from './infra-files.js';

/** A generated dashboard as Grafana loads it. */
export interface DashboardJson {
  readonly uid: string;
  readonly title: string;
  readonly time: { from: string; to: string };
  readonly panels: DashboardPanel[];
  readonly templating: {
    list: Array<{ name: string; type: string; query?: unknown; datasource?: { uid?: string }; definition?: string }>;
  };
}

/** The committed dashboards of `infra/grafana/dashboards`, by file name without `.json`. */
export function readDashboards(): Map<string, DashboardJson> {
  const directory = `${INFRA_DIRECTORY}grafana/dashboards/`;
  return new Map(
    readdirSync(directory)
      .filter((file) => file.endsWith('.json'))
      .map((file) => [file.slice(0, -5), JSON.parse(readFileSync(`${directory}${file}`, 'utf8')) as DashboardJson]),
  );
}

/** Panels that hold queries (rows left out). */
export function queryPanels(dashboard: DashboardJson): DashboardPanel[] {
  return dashboard.panels.filter((panel) => panel.type !== 'row');
}

/** Recording rules of `infra/prometheus/rules/recording-rules.yml`: name to expression. */
export function recordingRules(): Map<string, string> {
  const file = readInfraYaml<{ groups: Array<{ rules: Array<{ record?: string; expr: string }> }> }>(
    'prometheus/rules/recording-rules.yml',
  );
  return new Map(
    file.groups.flatMap((group) =>
      group.rules.filter((rule) => rule.record).map((rule) => [rule.record!, rule.expr] as const),
    ),
  );
}
