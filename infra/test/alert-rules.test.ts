// The contract of every shipped alert rule: labels, annotations, runbook, catalog metric names
// and correct PromQL shapes (the source specification's traps).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogMetricNames, findUnknownMetricNames } from '@jts/metrics';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadAlertRules } from './support/alert-rules.js';
import { EXTERNAL_METRIC_NAMES } from './support/external-metrics.js';
import { RUNBOOK_BASE_URL, RUNBOOKS_DIR } from './support/infra-paths.js';

const rules = loadAlertRules();
const alertNames = [...new Set(rules.map((rule) => rule.alert))];

const knownNames = new Set(catalogMetricNames({ extraNames: EXTERNAL_METRIC_NAMES }));
/** Metric names an expression uses: the catalog's and the external ones. */
const metricNames = (expr: string) =>
  [...new Set(expr.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])].filter((token) => knownNames.has(token));

describe('alert rules', () => {
  it('cover the alerts of the source specification and of the pipeline', () => {
    expect(alertNames).toEqual(
      expect.arrayContaining([
        'OrderExecutionLatencyHigh',
        'OrderErrorRateHigh',
        'OrderRejectionRateHigh',
        'StrategyDrawdownHigh',
        'StrategyPnlLoss',
        'MarketDataLatencyHigh',
        'MarketDataFeedStale',
        'RiskLimitViolation',
        'ApiLatencyHigh',
        'ApiErrorRateHigh',
        'DatabaseConnectionPoolNearExhaustion',
        'TargetDown',
        'HostCpuHigh',
        'HostMemoryLow',
        'HostDiskSpaceLow',
        'NodeEventLoopLagHigh',
        'NodeHeapUsageHigh',
        'LogShippingBacklog',
        'LogShippingDeadLetters',
        'TraceSpansDropped',
        'TraceSpansRejected',
        'TraceExportsFailing',
        'AuditRecordsNotDurable',
        'AuditCheckpointSigningFailing',
        'MetricCardinalityOverflow',
        'RunSubscriberFailing',
        'CorrelationIdsRejected',
        'TradingAnomalyDetected',
      ]),
    );
  });

  it.each(
    rules.map((rule) => [`${rule.alert} (${rule.labels.severity})`, rule] as const),
  )('%s has severity, summary, a templated description and its runbook URL', (_name, rule) => {
    expect(['critical', 'warning', 'info']).toContain(rule.labels.severity);
    expect(rule.annotations.summary).toMatch(/\S/);
    expect(rule.annotations.description).toMatch(/\{\{[^}]*\$(value|labels\.\w+)[^}]*\}\}/);
    expect(rule.annotations.runbook_url).toBe(`${RUNBOOK_BASE_URL}/${rule.alert}.md`);
    // service comes from the series (every scrape job sets it): it must survive the aggregation.
    const aggregations = [...rule.expr.matchAll(/\b(?:sum|max|min|avg|count)\s+by\s*\(([^)]*)\)/g)].map(
      (match) => match[1]!,
    );
    for (const labels of aggregations) expect(labels.split(',').map((label) => label.trim())).toContain('service');
  });

  it.each(
    rules.map((rule) => [`${rule.alert} (${rule.labels.severity})`, rule] as const),
  )('%s names only catalog metrics (and declared exporter metrics)', (_name, rule) => {
    expect(findUnknownMetricNames(rule.expr, { extraNames: EXTERNAL_METRIC_NAMES })).toEqual([]);
  });

  it('compute quantiles from rate()d buckets summed by le, never from raw buckets', () => {
    const quantiles = rules.filter((rule) => rule.expr.includes('histogram_quantile'));
    expect(quantiles.length).toBeGreaterThanOrEqual(4);
    for (const rule of quantiles) {
      expect(rule.expr, rule.alert).toMatch(
        /histogram_quantile\(0\.\d+,\s*sum by \(le\b[^)]*\) \(rate\(\w+_bucket\[\w+\]\)\)\)/,
      );
    }
  });

  it('guard every ratio of rates against zero or little traffic', () => {
    const ratios = rules.filter((rule) => /rate\([^)]*\)\)\s*\/\s*sum/.test(rule.expr.replace(/\s+/g, ' ')));
    expect(ratios.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining(['OrderErrorRateHigh', 'ApiErrorRateHigh', 'CorrelationIdsRejected']),
    );
    for (const rule of ratios.filter((rule) => rule.group !== 'jts-monitoring'))
      expect(rule.expr, rule.alert).toMatch(/\band sum by \([^)]*\) \(increase\([^)]*\)\) >= \d+/);
  });

  it('divide the pool by database_connection_pool_max, which the catalog defines', () => {
    const pool = rules.find((rule) => rule.alert === 'DatabaseConnectionPoolNearExhaustion')!;
    expect(pool.expr).toContain('database_connection_pool_max > 0');
    expect(findUnknownMetricNames('database_connection_pool_max')).toEqual([]);
  });

  it('take API latency from the api_request_duration_seconds histogram and failures from its outcome (a timeout has no 5xx status)', () => {
    expect(rules.find((rule) => rule.alert === 'ApiLatencyHigh')!.expr).toContain(
      'rate(api_request_duration_seconds_bucket[5m])',
    );
    const errors = rules.find((rule) => rule.alert === 'ApiErrorRateHigh')!.expr;
    expect(errors).toContain('api_request_duration_seconds_count{outcome=~"server_error|timeout"}');
    expect(errors).not.toContain('status_code');
  });
});

describe('runbooks', () => {
  it.each(
    alertNames,
  )("docs/runbooks/%s.md says what to check and what to do, with the rule's real metrics", (alert) => {
    const path = join(RUNBOOKS_DIR, `${alert}.md`);
    expect(existsSync(path), path).toBe(true);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(new RegExp(`^# ${alert}\\b`, 'm'));
    for (const heading of ['## What it means', '## What to check', '## What to do']) expect(text).toContain(heading);
    expect(text).toMatch(/```promql\n[^`]+```/);
    for (const rule of rules.filter((candidate) => candidate.alert === alert)) {
      expect(text).toContain(rule.labels.severity!);
      for (const name of metricNames(rule.expr)) expect(text, `${alert} runbook names ${name}`).toContain(name);
    }
  });
});

describe('docs/guides/metrics.md', () => {
  it('quotes the shipped MetricCardinalityOverflow rule, which also catches the first overflow of a metric', () => {
    const guide = readFileSync(join(RUNBOOKS_DIR, '..', 'guides', 'metrics.md'), 'utf8');
    const quoted = [...guide.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((match) => parse(match[1]!) as unknown)
      .find((block) => Array.isArray(block) && block[0]?.alert === 'MetricCardinalityOverflow') as
      | Record<string, unknown>[]
      | undefined;
    expect(quoted, 'the guide has a yaml block with the rule').toBeDefined();
    const shipped = rules.find((rule) => rule.alert === 'MetricCardinalityOverflow')!;
    expect(quoted![0]).toEqual({
      alert: shipped.alert,
      expr: shipped.expr,
      labels: shipped.labels,
      annotations: shipped.annotations,
    });
    expect(shipped.expr).toContain('unless last_over_time(jts_metrics_series_overflow_total[1h] offset 15m)');
  });
});

describe('rules that catch series appearing with their first event', () => {
  const newSeries = rules.filter((rule) => /\bunless\b/.test(rule.expr) && /\boffset\b/.test(rule.expr));

  it('look back an hour before the window, so a scrape gap brings no old series back as new', () => {
    expect(newSeries.map((rule) => rule.alert).sort()).toEqual([
      'MetricCardinalityOverflow',
      'RiskLimitViolation',
      'RunSubscriberFailing',
      'TradingAnomalyDetected',
    ]);
    for (const rule of newSeries) {
      // `x unless x offset w` is empty for every series after a gap longer than w.
      expect(rule.expr, rule.alert).not.toMatch(/unless\s+[a-z_]+(\{[^}]*\})?\s+offset/);
      expect(rule.expr, rule.alert).toMatch(/unless\s+last_over_time\([a-z_]+(\{[^}]*\})?\[1h\] offset \d+m\)/);
    }
  });

  it("also catch a restarted process's first events, with the window of their increase()", () => {
    for (const rule of newSeries) {
      const window = /increase\([^)]*\[(\d+)m\]\)/.exec(rule.expr)![1]!;
      expect(rule.expr, rule.alert).toContain(
        `and on (job, instance) (time() - process_start_time_seconds < ${Number(window) * 60})`,
      );
    }
  });
});

describe('docs/guides/alerting.md', () => {
  it('lists every alert rule with its severity, for: and group, and links its runbook', () => {
    const guide = readFileSync(join(RUNBOOKS_DIR, '..', 'guides', 'alerting.md'), 'utf8');
    const rows = [
      ...guide.matchAll(
        /^\| (\w+) \| (critical|warning|info) \| ([\w-]+) \| ([\w-]+) \| \[runbook\]\(\.\.\/runbooks\/(\w+)\.md\) \|$/gm,
      ),
    ];
    const listed = rows.map((row) => `${row[1]} ${row[2]} ${row[3]} ${row[4]} ${row[5]}`).sort();
    expect(listed).toEqual(
      rules
        .map((rule) => `${rule.alert} ${rule.labels.severity} ${rule.for ?? '-'} ${rule.group} ${rule.alert}`)
        .sort(),
    );
  });
});
