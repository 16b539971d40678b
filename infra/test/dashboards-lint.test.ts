// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is Compose, Grafana or Logstash syntax, not a template literal
import { describe, expect, it } from 'vitest';
import { INCIDENT_ONLY } from '../grafana/src/panel-kit.js';
import { type DashboardPanel, lintPanel, NON_CATALOG_METRICS } from './support/dashboard-lint.js';
import { queryPanels, readDashboards, recordingRules } from './support/dashboards.js';
import { analysePromql } from './support/promql.js';

const dashboards = readDashboards();
const rules = recordingRules();
const ruleNames = new Set(rules.keys());

describe('dashboard lint (every panel of the generated JSON)', () => {
  it('provisions the six dashboards of the stack', () => {
    expect([...dashboards.keys()].sort()).toEqual([
      'alerts-overview',
      'market-data',
      'observability-pipeline',
      'strategy-performance',
      'system-health',
      'trading-operations',
    ]);
  });

  for (const [name, dashboard] of dashboards) {
    it(`${name}: every panel has a title, unit and description, reads \${datasource}, and its PromQL parses, names catalog metrics and rates counters over $__rate_interval`, () => {
      const panels = queryPanels(dashboard);
      expect(panels.length).toBeGreaterThanOrEqual(6);
      expect(panels.flatMap((panel) => lintPanel(panel, ruleNames))).toEqual([]);
      expect(new Set(panels.map((panel) => panel.title)).size, 'panel titles are unique').toBe(panels.length);
    });

    it(`${name}: every variable is templated on the Prometheus data source variable and every $variable used is defined`, () => {
      const variables = dashboard.templating.list;
      expect(variables[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
      for (const variable of variables.slice(1)) {
        expect(variable.type, variable.name).toBe('query');
        expect(variable.datasource?.uid, variable.name).toBe('${datasource}');
        const query = /^label_values\((.+), (\w+)\)$/.exec(variable.definition ?? '');
        expect(query, variable.definition).not.toBeNull();
        expect(
          analysePromql(query![1]!).selectors.map((selector) =>
            lintPanel(
              {
                type: 'x',
                title: 'v',
                description: 'd',
                datasource: { uid: '${datasource}' },
                fieldConfig: { defaults: { unit: 'short' } },
                targets: [{ expr: selector.name, datasource: { uid: '${datasource}' } }],
              },
              ruleNames,
            ).filter((problem) => problem.includes('catalog')),
          ),
        ).toEqual([[]]);
      }
      const defined = new Set(variables.map((variable) => variable.name));
      for (const panel of queryPanels(dashboard)) {
        for (const target of panel.targets ?? []) {
          for (const match of (target.expr ?? '').matchAll(/\$(\w+)/g)) {
            if (!match[1]!.startsWith('__')) expect(defined.has(match[1]!), `${panel.title}: $${match[1]}`).toBe(true);
          }
        }
      }
    });
  }

  it('incident-only panels say so, and stay empty when healthy only through a filter or ALERTS/up == 0', () => {
    const incidentOnly = [...dashboards.values()].flatMap((dashboard) =>
      queryPanels(dashboard).filter((panel) => panel.description?.includes(INCIDENT_ONLY)),
    );
    expect(incidentOnly.length).toBeGreaterThanOrEqual(8);
    for (const panel of incidentOnly) {
      for (const target of panel.targets ?? []) expect(target.expr, panel.title).toMatch(/> 0$|== 0$|ALERTS\{/);
    }
  });

  it('the panels that read recording rules use only rules defined in recording-rules.yml, and every rule is read', () => {
    const used = new Set<string>();
    for (const dashboard of dashboards.values()) {
      for (const panel of queryPanels(dashboard)) {
        for (const target of panel.targets ?? [])
          for (const selector of analysePromql(target.expr ?? '').selectors)
            if (selector.name.includes(':')) used.add(selector.name);
      }
    }
    expect([...used].sort()).toEqual([...ruleNames].sort());
    for (const [name, expr] of rules) {
      const analysis = analysePromql(expr);
      expect(analysis.errors, name).toEqual([]);
      expect(
        analysis.selectors.map((selector) => selector.rangeFunction),
        name,
      ).toEqual(['rate']);
    }
  });

  it('every non-catalog name the lint accepts is read by some panel (the allow-list stays exact)', () => {
    const used = new Set<string>();
    for (const dashboard of dashboards.values()) {
      for (const panel of queryPanels(dashboard))
        for (const target of panel.targets ?? [])
          for (const selector of analysePromql(target.expr ?? '').selectors) used.add(selector.name);
      for (const variable of dashboard.templating.list)
        for (const selector of analysePromql(
          /^label_values\((.+), \w+\)$/.exec(variable.definition ?? '')?.[1] ?? 'vector(1)',
        ).selectors)
          used.add(selector.name);
    }
    expect(NON_CATALOG_METRICS.filter((name) => !used.has(name))).toEqual([]);
  });
});

describe('the lint itself catches what it forbids', () => {
  const panel = (expr: string, extra: Partial<DashboardPanel> = {}): DashboardPanel => ({
    type: 'timeseries',
    title: 'p',
    description: 'd',
    datasource: { uid: '${datasource}' },
    fieldConfig: { defaults: { unit: 's' } },
    targets: [{ expr, datasource: { uid: '${datasource}' } }],
    ...extra,
  });
  const cases: Array<[string, DashboardPanel, RegExp]> = [
    ['a counter read raw', panel('sum(order_execution_total)'), /counter order_execution_total outside rate/],
    [
      'a bucket read raw',
      panel('histogram_quantile(0.9, order_execution_duration_seconds_bucket)'),
      /outside rate|not summed by le/,
    ],
    ['a fixed range', panel('rate(order_execution_total[5m])'), /range \[5m\]/],
    [
      'a metric outside the catalog',
      panel('rate(order_latency_bucket[$__rate_interval])'),
      /order_latency_bucket is not in the metric catalog/,
    ],
    ['a name only through __name__', panel('{__name__="orders_made"}'), /orders_made is not in the metric catalog/],
    ['an undefined recording rule', panel('job:nothing:rate5m'), /recording rule job:nothing:rate5m is not defined/],
    [
      'a quantile without sum by le',
      panel('histogram_quantile(0.9, rate(order_execution_duration_seconds_bucket[$__rate_interval]))'),
      /not summed by le/,
    ],
    ['a syntax error', panel('sum(rate(order_execution_total[$__rate_interval])'), /syntax error/],
    ['a missing unit', panel('up', { fieldConfig: { defaults: {} } }), /no unit/],
    ['a missing description', panel('up', { description: '' }), /no description/],
    ['a fixed data source', panel('up', { datasource: { uid: 'prometheus' } }), /templated/],
  ];
  for (const [what, bad, problem] of cases) {
    it(`flags ${what}`, () => {
      expect(lintPanel(bad, ruleNames).join('\n')).toMatch(problem);
    });
  }
});
