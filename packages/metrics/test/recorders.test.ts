import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTradingMetrics, type TradingMetrics } from '../src/index.js';
import { sampleKey as key, sampleMap } from './support/parse-exposition.js';

let metrics: TradingMetrics | undefined;
afterEach(() => metrics?.close());
const create = (options: Parameters<typeof createTradingMetrics>[0] = {}) =>
  (metrics = createTradingMetrics({ defaultMetrics: false, operations: false, ...options }));

const ORDER = { strategyId: 'mm-1', symbol: 'AAPL', exchange: 'XNAS', side: 'buy', orderType: 'limit' };
const L = { strategy_id: 'mm-1', symbol: 'AAPL', exchange: 'XNAS', side: 'buy', order_type: 'limit' };

describe('typed recorders', () => {
  it('recordOrderExecution observes the histogram and counts outcome and errors', async () => {
    const target = create();
    target.recordOrderExecution(ORDER, 0.0042);
    target.recordOrderExecution({ ...ORDER, status: 'filled' }, 0.3);
    target.recordOrderExecution({ ...ORDER, errorType: 'timeout' }, 6);
    const samples = sampleMap(await target.metrics());
    expect(samples.get(key('order_execution_duration_seconds_bucket', { ...L, le: '0.005' }))).toBe(1);
    expect(samples.get(key('order_execution_duration_seconds_bucket', { ...L, le: '5' }))).toBe(2);
    expect(samples.get(key('order_execution_duration_seconds_bucket', { ...L, le: '+Inf' }))).toBe(3);
    expect(samples.get(key('order_execution_duration_seconds_count', L))).toBe(3);
    expect(samples.get(key('order_execution_duration_seconds_sum', L))).toBeCloseTo(6.3042, 10);
    expect(samples.get(key('order_execution_total', { ...L, status: 'success' }))).toBe(1);
    expect(samples.get(key('order_execution_total', { ...L, status: 'filled' }))).toBe(1);
    expect(samples.get(key('order_execution_total', { ...L, status: 'error' }))).toBe(1);
    expect(
      samples.get(
        'order_execution_errors_total{error_type="timeout",exchange="XNAS",strategy_id="mm-1",symbol="AAPL"}',
      ),
    ).toBe(1);
  });

  it('sets strategy, risk, market-data, API and pool metrics', async () => {
    const target = create();
    target.setStrategyPnl({ strategyId: 's1' }, -1250.5);
    target.setStrategyDrawdown({ strategyId: 's1' }, 7.5);
    target.setStrategyWinRate({ strategyId: 's1' }, 0.61);
    target.setPortfolioExposure({ strategyId: 's1', symbol: 'AAPL' }, 1e6);
    target.recordRiskViolation({ strategyId: 's1', violationType: 'max_position' });
    target.recordRiskViolation({ strategyId: 's1', violationType: 'max_position' });
    target.recordMarketDataUpdate({ symbol: 'AAPL', exchange: 'XNAS' }, 0.0007);
    target.recordMarketDataUpdate({ symbol: 'AAPL', exchange: 'XNAS' });
    target.recordApiRequest({ method: 'GET', route: '/orders/:id', statusCode: 200 }, 0.012);
    target.setDatabasePool({ pool: 'orders-db' }, { active: 7, max: 20 });
    const samples = sampleMap(await target.metrics());
    expect(samples.get('strategy_pnl{strategy_id="s1"}')).toBe(-1250.5);
    expect(samples.get('strategy_drawdown_current{strategy_id="s1"}')).toBe(7.5);
    expect(samples.get('strategy_win_rate{strategy_id="s1"}')).toBe(0.61);
    expect(samples.get('portfolio_exposure{strategy_id="s1",symbol="AAPL"}')).toBe(1e6);
    expect(samples.get('risk_violations_total{strategy_id="s1",violation_type="max_position"}')).toBe(2);
    expect(samples.get('market_data_updates_total{exchange="XNAS",symbol="AAPL"}')).toBe(2);
    expect(samples.get('market_data_latency_seconds_count{exchange="XNAS",symbol="AAPL"}')).toBe(1);
    expect(
      samples.get(
        'api_request_duration_seconds_count{method="GET",outcome="success",route="/orders/:id",status_code="200"}',
      ),
    ).toBe(1);
    expect(samples.get('database_connection_pool_active{pool="orders-db"}')).toBe(7);
    expect(samples.get('database_connection_pool_max{pool="orders-db"}')).toBe(20);
  });

  it('gives pre-resolved handles of every type that survive a registry reset', async () => {
    const target = create();
    const latency = target.series('order_execution_duration_seconds', ORDER);
    const updates = target.series('market_data_updates_total', { symbol: 'AAPL', exchange: 'XNAS' });
    const pool = target.series('database_connection_pool_active', { pool: 'p' });
    latency.observe(0.001);
    updates.inc();
    updates.inc(4);
    pool.set(5);
    pool.inc(2);
    pool.dec();
    let samples = sampleMap(await target.metrics());
    expect(samples.get(key('order_execution_duration_seconds_count', L))).toBe(1);
    expect(samples.get('market_data_updates_total{exchange="XNAS",symbol="AAPL"}')).toBe(5);
    expect(samples.get('database_connection_pool_active{pool="p"}')).toBe(6);
    target.registry.resetMetrics();
    expect(sampleMap(await target.metrics()).has(key('order_execution_duration_seconds_count', L))).toBe(false);
    latency.observe(0.002);
    samples = sampleMap(await target.metrics());
    expect(samples.get(key('order_execution_duration_seconds_count', L))).toBe(1);
    expect(() => target.series('no_such_metric' as never)).toThrow(
      expect.objectContaining({ code: 'JTS_ERR_INVALID_ARGUMENT' }),
    );
  });
});

describe('prom-client registry integration', () => {
  it('shares the user registry with their own metrics, JSON export and default metrics with a prefix', async () => {
    const registry = new Registry();
    const jobs = new Counter({ name: 'my_jobs_total', help: 'Jobs.', registers: [registry] });
    jobs.inc(3);
    const target = create({ registry, defaultMetrics: true, defaultMetricsPrefix: 'orders_' });
    target.recordOrderExecution(ORDER, 0.01);
    const text = await registry.metrics();
    expect(text).toContain('my_jobs_total 3');
    expect(text).toContain('orders_nodejs_eventloop_lag_seconds');
    expect(text).toContain('orders_process_cpu_user_seconds_total');
    expect(sampleMap(text).get(key('order_execution_duration_seconds_count', L))).toBe(1);
    const json = await registry.getMetricsAsJSON();
    const histogram = json.find((metric) => metric.name === 'order_execution_duration_seconds');
    expect(histogram?.type).toBe('histogram');
    const count = (histogram?.values as { metricName?: string; labels: Record<string, unknown>; value: number }[]).find(
      (value) => value.metricName === 'order_execution_duration_seconds_count',
    );
    expect(count).toMatchObject({ value: 1, labels: { strategy_id: 'mm-1', symbol: 'AAPL' } });
    expect(sampleMap(await target.metrics()).get('my_jobs_total{}')).toBe(3);
  });

  it('rejects bad options at construction, naming the environment variable', () => {
    expect(() => createTradingMetrics({ maxSeriesPerMetric: 0 })).toThrow(/maxSeriesPerMetric.*JTS_METRICS_MAX_SERIES/);
    expect(() => createTradingMetrics({ defaultMetricsPrefix: 'bad prefix' })).toThrow(
      expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION' }),
    );
  });

  it('reads limits and strictness from the environment when no option is given', () => {
    process.env.JTS_METRICS_MAX_SERIES = '17';
    process.env.JTS_METRICS_STRICT = 'true';
    try {
      const target = create();
      expect(target.options.maxSeriesPerMetric).toBe(17);
      expect(target.options.strict).toBe(true);
    } finally {
      delete process.env.JTS_METRICS_MAX_SERIES;
      delete process.env.JTS_METRICS_STRICT;
    }
  });
});
