import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../../../test/support/infra-binaries.js';
import { eventually, type RunningPrometheus, startPrometheus } from '../../../test/support/prometheus.js';
import { INCIDENT_ONLY } from '../../grafana/src/panel-kit.js';
import { readDashboards } from '../support/dashboards.js';
import { ruleFiles } from '../support/alert-rules.js';
import { readInfraFile } from '../support/infra-files.js';
import { type FullStackService, startFullStackService } from '../support/full-stack-service.js';
import { prometheusConfigForTest } from '../support/loopback-configs.js';
import { type LoopbackProcess, startAlertmanager, startNodeExporter } from '../support/loopback-process.js';
import { panelQueries, substituteVariables } from '../support/panel-queries.js';

/**
 * Panels that stay empty while all is well. Each says so in its description; against a healthy
 * service their queries must still evaluate without error.
 */
const INCIDENT_ONLY_PANELS = [
  'alerts-overview / Firing alerts',
  'alerts-overview / Firing alerts by severity',
  'alerts-overview / Pending alerts',
  'market-data / Stale symbols',
  'observability-pipeline / Log lines lost',
  'observability-pipeline / Spans lost',
  'observability-pipeline / Audit failures',
  'observability-pipeline / Observations folded into __overflow__',
  'observability-pipeline / Invalid observations by reason',
  'observability-pipeline / Failed scrapes',
  'observability-pipeline / Run subscriber failures by signal',
  'system-health / Targets down',
];

/** Incident-only panels whose incident the test service causes on purpose: they must show it. */
const INDUCED_INCIDENT_PANELS = ['observability-pipeline / Run subscriber failures by signal'];

const binaries = {
  prometheus: requireBinary('prometheus'),
  node: requireBinary('prometheus-node-exporter'),
  alertmanager: requireBinary('prometheus-alertmanager'),
};
const dashboards = readDashboards();
const queries = panelQueries(dashboards);
// 1 s scrapes in this test: Grafana's $__rate_interval is then 4 x 1 s.
const RATE_INTERVAL = '4s';

interface QueryAnswer {
  readonly status: string;
  readonly error?: string;
  readonly data?: { result: unknown[] };
}

describe.skipIf(!binaries.prometheus || !binaries.node || !binaries.alertmanager)(
  'every dashboard query against a real Prometheus scraping an instrumented service',
  () => {
    let service: FullStackService;
    let nodeExporter: LoopbackProcess;
    let alertmanager: LoopbackProcess;
    let prometheus: RunningPrometheus;

    const ask = async (expr: string, instant: boolean): Promise<QueryAnswer> => {
      const promql = encodeURIComponent(substituteVariables(expr, RATE_INTERVAL));
      const now = Date.now() / 1000;
      const url = instant
        ? `${prometheus.url}/api/v1/query?query=${promql}`
        : `${prometheus.url}/api/v1/query_range?query=${promql}&start=${now - 20}&end=${now}&step=1`;
      return (await (await fetch(url)).json()) as QueryAnswer;
    };

    beforeAll(async () => {
      service = await startFullStackService();
      nodeExporter = await startNodeExporter(binaries.node!);
      alertmanager = await startAlertmanager(binaries.alertmanager!);
      // The shipped prometheus.yml (its jobs pointed at loopback, every interval 1 s) and every
      // shipped rule file through its own rule_files, the recording rules evaluated every second
      // instead of every 30 s: a panel returns data only if the shipped config scrapes its job and
      // loads its recording rules.
      const files = Object.fromEntries(
        ruleFiles().map((file) => [
          `rules/${file}`,
          readInfraFile(`prometheus/rules/${file}`).replace('interval: 30s', 'interval: 1s'),
        ]),
      );
      prometheus = await startPrometheus({
        binary: binaries.prometheus!,
        files,
        config: prometheusConfigForTest({
          targets: {
            'order-service': [service.target],
            'node-exporter': [nodeExporter.target],
            alertmanager: [alertmanager.target],
            prometheus: ['127.0.0.1:{{port}}'],
          },
          alertmanagers: [alertmanager.target],
        }),
        env: { PROMETHEUS_REPLICA: 'prometheus-0' },
        features: ['exemplar-storage', 'expand-external-labels'],
      });
    }, 120_000);

    afterAll(async () => {
      await prometheus?.stop();
      await alertmanager?.stop();
      await nodeExporter?.stop();
      await service?.stop();
    });

    it('lists exactly the panels that say they show data only during an incident', () => {
      const marked = [
        ...new Set(
          queries
            .filter((query) => query.description.includes(INCIDENT_ONLY))
            .map((query) => `${query.dashboard} / ${query.panel}`),
        ),
      ];
      expect(marked.sort()).toEqual([...INCIDENT_ONLY_PANELS].sort());
    });

    it('every panel query evaluates without error, and every other panel returns data', async () => {
      const expectsData = queries.filter(
        (query) =>
          !INCIDENT_ONLY_PANELS.includes(`${query.dashboard} / ${query.panel}`) ||
          INDUCED_INCIDENT_PANELS.includes(`${query.dashboard} / ${query.panel}`),
      );
      let empty: string[] = [];
      await eventually(
        async () => {
          const answers = await Promise.all(
            expectsData.map(async (query) => [query, await ask(query.expr, query.instant)] as const),
          );
          empty = answers
            .filter(([, answer]) => answer.status !== 'success' || (answer.data?.result.length ?? 0) === 0)
            .map(([query]) => `${query.dashboard} / ${query.panel}: ${query.expr}`);
          return empty.length === 0 ? true : undefined;
        },
        60_000,
        'every panel query to return data',
      ).catch(() => undefined);
      expect(empty).toEqual([]);
      for (const query of queries) {
        const answer = await ask(query.expr, query.instant);
        expect(answer.error, `${query.dashboard} / ${query.panel}`).toBeUndefined();
        expect(answer.status, `${query.dashboard} / ${query.panel}`).toBe('success');
      }
      expect(service.rounds()).toBeGreaterThan(10);
    });

    it('every dashboard variable lists values', async () => {
      for (const [name, dashboard] of dashboards) {
        for (const variable of dashboard.templating.list.filter((item) => item.type === 'query')) {
          const [, selector, label] = /^label_values\((.+), (\w+)\)$/.exec(variable.definition!)!;
          const answer = (await (
            await fetch(
              `${prometheus.url}/api/v1/label/${label}/values?match[]=${encodeURIComponent(substituteVariables(selector!, RATE_INTERVAL))}`,
            )
          ).json()) as { data: string[] };
          expect(answer.data.length, `${name}: $${variable.name}`).toBeGreaterThan(0);
        }
      }
    });

    it('order latency buckets carry exemplars whose trace_id Grafana links to Jaeger', async () => {
      const exemplars = await eventually(
        async () => {
          const end = Date.now() / 1000;
          const answer = (await (
            await fetch(
              `${prometheus.url}/api/v1/query_exemplars?query=order_execution_duration_seconds_bucket&start=${end - 60}&end=${end}`,
            )
          ).json()) as {
            data: Array<{ exemplars: Array<{ labels: Record<string, string> }> }>;
          };
          const found = answer.data.flatMap((series) => series.exemplars);
          return found.length > 0 ? found : undefined;
        },
        30_000,
        'exemplars on order_execution_duration_seconds_bucket',
      );
      expect(exemplars[0]!.labels.trace_id).toMatch(/^[0-9a-f]{32}$/);
    });
  },
);
