import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { createDashboard, row } from './dashboard-kit.js';
import { INCIDENT_ONLY, table, timeseries } from './panel-kit.js';

const FEED = 'job=~"$job", exchange=~"$exchange", symbol=~"$symbol"';
const RATE = '[$__rate_interval]';

/** Feed rates, feed latency and handling time per exchange and symbol. */
export function marketData(): DashboardBuilder {
  return createDashboard({
    uid: 'jts-market-data',
    title: 'JTS / Market data',
    description: 'Market-data update rates, exchange-to-receipt latency and handling time per exchange and symbol.',
    from: 'now-1h',
    jobMetric: 'market_data_updates_total',
    variables: [
      { name: 'exchange', label: 'Exchange', metric: 'market_data_updates_total', labelName: 'exchange' },
      { name: 'symbol', label: 'Symbol', metric: 'market_data_updates_total', labelName: 'symbol' },
    ],
  })
    .withRow(row('Feeds'))
    .withPanel(
      timeseries({
        title: 'Updates per second by exchange',
        description: 'Market-data updates received per second (`market_data_updates_total`).',
        unit: 'ops',
        queries: [
          { expr: `sum by (exchange) (rate(market_data_updates_total{${FEED}}${RATE}))`, legend: '{{exchange}}' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Feed latency p50 / p99 by exchange',
        description:
          'Delay from the exchange timestamp to receipt (`market_data_latency_seconds`); exemplar dots link to traces.',
        unit: 's',
        queries: [0.5, 0.99].map((quantile) => ({
          expr: `histogram_quantile(${quantile}, sum by (le, exchange) (rate(market_data_latency_seconds_bucket{${FEED}}${RATE})))`,
          legend: `{{exchange}} p${quantile * 100}`,
          exemplar: true,
        })),
      }),
    )
    .withPanel(
      timeseries({
        title: 'Handling time p99 by symbol',
        description: 'p99 time spent handling one update (`market_data_processing_duration_seconds`).',
        unit: 's',
        queries: [
          {
            expr: `histogram_quantile(0.99, sum by (le, symbol) (rate(market_data_processing_duration_seconds_bucket{${FEED}}${RATE})))`,
            legend: '{{symbol}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Failed update handling by exchange',
        description: 'Updates per second whose handling did not end in success.',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (exchange, status) (rate(market_data_processing_duration_seconds_count{${FEED}, status!="success"}${RATE}))`,
            legend: '{{exchange}} {{status}}',
          },
        ],
      }),
    )
    .withRow(row('Symbols'))
    .withPanel(
      table({
        title: 'Busiest symbols',
        description: 'The 10 symbols with the most updates per second.',
        unit: 'ops',
        span: 12,
        queries: [
          {
            expr: `topk(10, sum by (symbol, exchange) (rate(market_data_updates_total{${FEED}}${RATE})))`,
            legend: '{{symbol}}',
          },
        ],
      }),
    )
    .withPanel(
      table({
        title: 'Stale symbols',
        description: `Symbols that received no update during the last rate interval. ${INCIDENT_ONLY}`,
        unit: 'short',
        span: 12,
        queries: [
          {
            expr: `sum by (symbol, exchange) (increase(market_data_updates_total{${FEED}}${RATE})) == 0`,
            legend: '{{symbol}}',
          },
        ],
      }),
    );
}
