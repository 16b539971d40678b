import { OPERATION_NAMES, TRADING_CONVENTIONS } from '@jts/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  catalogMetricNames,
  findUnknownMetricNames,
  METRIC_CATALOG,
  type MetricDefinition,
  ORDER_LATENCY_BUCKETS,
  RUNTIME_METRIC_NAMES,
} from '../src/index.js';

describe('metric catalog', () => {
  it('holds the corrected specification metrics with valid, unique names', () => {
    const names = METRIC_CATALOG.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    for (const required of [
      'order_execution_duration_seconds',
      'order_execution_total',
      'order_execution_errors_total',
      'strategy_pnl',
      'strategy_drawdown_current',
      'strategy_win_rate',
      'market_data_latency_seconds',
      'market_data_updates_total',
      'risk_violations_total',
      'portfolio_exposure',
      'api_request_duration_seconds',
      'database_connection_pool_active',
      'database_connection_pool_max',
      'jts_metrics_series_overflow_total',
      'jts_log_lines_total',
      'jts_trace_spans_exported_total',
      'jts_audit_records_total',
      'jts_correlation_ids_total',
    ])
      expect(names).toContain(required);
    for (const entry of METRIC_CATALOG) {
      expect(entry.name).toMatch(/^[a-z_][a-z0-9_]*$/);
      expect(entry.help).not.toMatch(/["\n\\]/);
      // Prometheus conventions that promtool enforces: _total only and always on counters.
      expect(entry.name.endsWith('_total')).toBe(entry.type === 'counter');
      for (const label of entry.labelNames) expect(label).toMatch(/^[a-z_][a-z0-9_]*$/);
      expect(entry.labelNames).not.toContain('le');
    }
  });

  it('names where every value comes from: a recorder or component, an operation, or a stats field alone', () => {
    for (const entry of METRIC_CATALOG as readonly MetricDefinition[]) {
      const origins = [entry.source, entry.operation, entry.stats].filter((origin) => origin !== undefined);
      expect(origins.length, entry.name).toBeGreaterThan(0);
      if (entry.stats !== undefined) expect(origins, entry.name).toHaveLength(1);
      if (entry.operation !== undefined) expect(OPERATION_NAMES, entry.name).toContain(entry.operation);
    }
    // Every operation feeds at least one metric.
    expect(
      new Set((METRIC_CATALOG as readonly MetricDefinition[]).map((entry) => entry.operation).filter(Boolean)),
    ).toEqual(new Set(OPERATION_NAMES));
  });

  it('keeps the specification names it corrected as documented aliases', () => {
    const formerly = METRIC_CATALOG.flatMap((entry) => ('formerly' in entry ? [entry.formerly.name] : []));
    expect(formerly).toEqual(['strategy_pnl_total', 'portfolio_exposure_total']);
  });

  it('never uses unbounded identifiers as labels', () => {
    const forbidden = TRADING_CONVENTIONS.filter((convention) => !convention.metricLabel).map(
      (convention) => convention.label,
    );
    expect(forbidden).toEqual(expect.arrayContaining(['order_id', 'user_id', 'account_id']));
    for (const entry of METRIC_CATALOG) for (const label of entry.labelNames) expect(forbidden).not.toContain(label);
  });

  it('uses histograms (not summaries) with ascending buckets; order latency spans 100 us to 5 s', () => {
    for (const entry of METRIC_CATALOG) {
      if (entry.type !== 'histogram') continue;
      const buckets = entry.buckets;
      expect(buckets.length).toBeGreaterThan(5);
      for (let index = 1; index < buckets.length; index++) expect(buckets[index]!).toBeGreaterThan(buckets[index - 1]!);
    }
    expect(ORDER_LATENCY_BUCKETS[0]).toBe(0.0001);
    expect(ORDER_LATENCY_BUCKETS.at(-1)).toBe(5);
    expect(METRIC_CATALOG.find((entry) => entry.name === 'api_request_duration_seconds')?.type).toBe('histogram');
  });

  it('lists the default runtime metrics exactly as prom-client registers them', async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const actual = (await registry.getMetricsAsJSON()).map((metric) => [metric.name, metric.type]);
    // Platform-specific metrics (open fds on Linux) may be absent elsewhere; none may be unknown.
    for (const pair of actual) expect(RUNTIME_METRIC_NAMES).toContainEqual(pair);
    expect(actual.length).toBeGreaterThan(20);
  });
});

describe('catalogMetricNames', () => {
  it('includes histogram series, _total counters and prefixed runtime metrics', () => {
    const names = catalogMetricNames({ runtimePrefix: 'orders_' });
    for (const name of [
      'order_execution_duration_seconds_bucket',
      'order_execution_duration_seconds_sum',
      'order_execution_duration_seconds_count',
      'order_execution_total',
      'orders_nodejs_eventloop_lag_seconds',
      'orders_nodejs_gc_duration_seconds_bucket',
      'database_connection_pool_max',
    ]) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain('nodejs_eventloop_lag_seconds');
    // The OpenMetrics family name of a counter is not a series Prometheus stores.
    expect(names).not.toContain('order_execution');
    expect(names).toEqual([...names].sort());
  });
});

describe('findUnknownMetricNames', () => {
  it('accepts the corrected quantile query and alert expressions over catalog names', () => {
    expect(
      findUnknownMetricNames(
        'histogram_quantile(0.95, sum by (le) (rate(order_execution_duration_seconds_bucket[5m])))',
      ),
    ).toEqual([]);
    expect(findUnknownMetricNames('database_connection_pool_active / database_connection_pool_max > 0.9')).toEqual([]);
    expect(
      findUnknownMetricNames(
        'sum(rate(order_execution_total{status="error", symbol=~"AAP.*"}[5m])) by (strategy_id) / ignoring(status) group_left sum(rate(order_execution_total[5m])) by (strategy_id)',
      ),
    ).toEqual([]);
    expect(
      findUnknownMetricNames('increase(jts_metrics_series_overflow_total[1h]) offset 5m > 0 and on(instance) up == 1', {
        extraNames: ['up'],
      }),
    ).toEqual([]);
  });

  it('reports names the catalog does not define, including the specification spellings', () => {
    expect(findUnknownMetricNames('rate(order_latency_bucket[5m]) + strategy_pnl_total')).toEqual([
      'order_latency_bucket',
      'strategy_pnl_total',
    ]);
    expect(findUnknownMetricNames('{__name__="portfolio_exposure_total"}')).toEqual(['portfolio_exposure_total']);
    expect(findUnknownMetricNames('nodejs_heap_size_used_bytes', { runtimePrefix: 'svc_' })).toEqual([
      'nodejs_heap_size_used_bytes',
    ]);
  });

  it('ignores Grafana template variables in dashboard queries', () => {
    expect(
      findUnknownMetricNames(
        'sum by (le) (rate(api_request_duration_seconds_bucket{route=~"$route"}[$__rate_interval]))',
      ),
    ).toEqual([]);
    const braced = ['$', '{__interval}'].join('');
    expect(findUnknownMetricNames(`rate(market_data_updates_total[${braced}]) * [[scale]]`)).toEqual([]);
  });

  it('ignores strings, label names, functions, durations and recording rules', () => {
    expect(
      findUnknownMetricNames('label_replace(up_alias:order_execution:rate5m, "dst", "$1", "src", "(.*)")'),
    ).toEqual([]);
    expect(
      findUnknownMetricNames('max_over_time(strategy_drawdown_current{strategy_id="x"}[1h:5m]) > bool 10'),
    ).toEqual([]);
  });
});
