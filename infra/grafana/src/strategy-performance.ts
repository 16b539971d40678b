import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { createDashboard, row } from './dashboard-kit.js';
import { timeseries } from './panel-kit.js';

const STRATEGY = 'job=~"$job", strategy_id=~"$strategy"';

/** P&L, drawdown, win rate, exposure and order behaviour per strategy over a week. */
export function strategyPerformance(): DashboardBuilder {
  return createDashboard({
    uid: 'jts-strategy-performance',
    title: 'JTS / Strategy performance',
    description:
      'Profit and loss, drawdown, win rate, exposure and order behaviour per strategy. The week-long default range reads recording rules for rates and latency.',
    from: 'now-7d',
    jobMetric: 'strategy_pnl',
    variables: [{ name: 'strategy', label: 'Strategy', metric: 'strategy_pnl', labelName: 'strategy_id' }],
  })
    .withRow(row('Results'))
    .withPanel(
      timeseries({
        title: 'P&L by strategy',
        description: 'Total profit and loss of each strategy in its account currency (`strategy_pnl`).',
        unit: 'short',
        queries: [{ expr: `sum by (strategy_id) (strategy_pnl{${STRATEGY}})`, legend: '{{strategy_id}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Drawdown by strategy',
        description: 'Current drawdown from peak equity, in percent (`strategy_drawdown_current`).',
        unit: 'percent',
        queries: [{ expr: `max by (strategy_id) (strategy_drawdown_current{${STRATEGY}})`, legend: '{{strategy_id}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Win rate by strategy',
        description: 'Share of winning trades (`strategy_win_rate`).',
        unit: 'percentunit',
        queries: [{ expr: `avg by (strategy_id) (strategy_win_rate{${STRATEGY}})`, legend: '{{strategy_id}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Gross exposure by strategy',
        description: 'Gross exposure summed over symbols, in account currency (`portfolio_exposure`).',
        unit: 'short',
        queries: [{ expr: `sum by (strategy_id) (portfolio_exposure{${STRATEGY}})`, legend: '{{strategy_id}}' }],
      }),
    )
    .withRow(row('Orders and evaluation'))
    .withPanel(
      timeseries({
        title: 'Orders per second by strategy',
        description:
          'Order executions per second per strategy over 5-minute windows (recording rule `job_strategy_id_exchange_status:order_execution_total:rate5m`).',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (strategy_id) (job_strategy_id_exchange_status:order_execution_total:rate5m{${STRATEGY}})`,
            legend: '{{strategy_id}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Rejected order share by strategy',
        description: "Share of a strategy's orders the broker rejected, over 5-minute windows (recording rule).",
        unit: 'percentunit',
        queries: [
          {
            expr: `sum by (strategy_id) (job_strategy_id_exchange_status:order_execution_total:rate5m{${STRATEGY}, status="rejected"}) / sum by (strategy_id) (job_strategy_id_exchange_status:order_execution_total:rate5m{${STRATEGY}})`,
            legend: '{{strategy_id}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Order latency p95 by strategy',
        description:
          'p95 order latency per strategy over 5-minute windows (recording rule `job_strategy_id_exchange:order_execution_duration_seconds_bucket:rate5m`).',
        unit: 's',
        queries: [
          {
            expr: `histogram_quantile(0.95, sum by (le, strategy_id) (job_strategy_id_exchange:order_execution_duration_seconds_bucket:rate5m{${STRATEGY}}))`,
            legend: '{{strategy_id}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Strategy evaluation p95 by strategy',
        description:
          'p95 duration of one strategy evaluation over 5-minute windows (recording rule `job_strategy_id:strategy_execution_duration_seconds_bucket:rate5m`).',
        unit: 's',
        queries: [
          {
            expr: `histogram_quantile(0.95, sum by (le, strategy_id) (job_strategy_id:strategy_execution_duration_seconds_bucket:rate5m{${STRATEGY}}))`,
            legend: '{{strategy_id}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Risk violations by strategy',
        description: 'Risk limit violations per strategy in each interval (`risk_violations_total`).',
        unit: 'short',
        span: 24,
        queries: [
          {
            expr: `sum by (strategy_id) (increase(risk_violations_total{${STRATEGY}}[$__rate_interval]))`,
            legend: '{{strategy_id}}',
          },
        ],
      }),
    );
}
