import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { createDashboard, row } from './dashboard-kit.js';
import { timeseries } from './panel-kit.js';

const ORDERS = 'job=~"$job", strategy_id=~"$strategy", exchange=~"$exchange"';
// The recording rules keep job, strategy_id and exchange: the same filters apply.
const RECORDED = ORDERS;
const RATE = '[$__rate_interval]';
const ORDER_RATE = 'job_strategy_id_exchange_status:order_execution_total:rate5m';
const LATENCY = 'job_strategy_id_exchange:order_execution_duration_seconds_bucket:rate5m';

/** Orders, risk checks, broker calls and the HTTP API: the trading desk's live view. */
export function tradingOperations(): DashboardBuilder {
  return createDashboard({
    uid: 'jts-trading-operations',
    title: 'JTS / Trading operations',
    description:
      'Order flow, order latency with exemplars to traces, risk checks, broker calls and HTTP API of the JTS services.',
    from: 'now-6h',
    jobMetric: 'order_execution_total',
    variables: [
      { name: 'strategy', label: 'Strategy', metric: 'order_execution_total', labelName: 'strategy_id' },
      { name: 'exchange', label: 'Exchange', metric: 'order_execution_total', labelName: 'exchange' },
    ],
  })
    .withRow(row('Orders'))
    .withPanel(
      timeseries({
        title: 'Orders per second by status',
        description: `Order executions per second by outcome (filled, rejected, error, ...), over 5-minute windows (recording rule \`${ORDER_RATE}\`).`,
        unit: 'ops',
        queries: [{ expr: `sum by (status) (${ORDER_RATE}{${RECORDED}})`, legend: '{{status}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Order error ratio',
        description: 'Share of order executions that ended in status error, over 5-minute windows (recording rule).',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum(${ORDER_RATE}{${RECORDED}, status="error"}) / sum(${ORDER_RATE}{${RECORDED}})`,
            legend: 'error ratio',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Order latency p50 / p95 / p99',
        description: `Submission to broker acknowledgement, quantiles over 5-minute windows summed across instances (recording rule \`${LATENCY}\`).`,
        unit: 's',
        queries: [0.5, 0.95, 0.99].map((quantile) => ({
          expr: `histogram_quantile(${quantile}, sum by (le) (${LATENCY}{${RECORDED}}))`,
          legend: `p${quantile * 100}`,
        })),
      }),
    )
    .withPanel(
      timeseries({
        title: 'Order latency p99 with exemplars (last hour)',
        description:
          'p99 order latency from the raw buckets over the last hour; each exemplar dot links to the trace of one order in Jaeger.',
        unit: 's',
        timeFrom: '1h',
        queries: [
          {
            expr: `histogram_quantile(0.99, sum by (le) (rate(order_execution_duration_seconds_bucket{${ORDERS}}${RATE})))`,
            legend: 'p99',
            exemplar: true,
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Order latency p99 by strategy',
        description: 'p99 order latency per strategy over 5-minute windows (recording rule).',
        unit: 's',
        queries: [
          {
            expr: `histogram_quantile(0.99, sum by (le, strategy_id) (${LATENCY}{${RECORDED}}))`,
            legend: '{{strategy_id}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Order execution errors by type',
        description: 'Failed order executions per second by error type (`order_execution_errors_total`).',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (error_type) (rate(order_execution_errors_total{${ORDERS}}${RATE}))`,
            legend: '{{error_type}}',
          },
        ],
      }),
    )
    .withRow(row('Risk and brokers'))
    .withPanel(
      timeseries({
        title: 'Risk check duration p99',
        description: 'p99 duration of the pre-trade risk check (`risk_check_duration_seconds`).',
        unit: 's',
        queries: [
          {
            expr: `histogram_quantile(0.99, sum by (le) (rate(risk_check_duration_seconds_bucket{job=~"$job", strategy_id=~"$strategy"}${RATE})))`,
            legend: 'p99',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Risk violations by type',
        description: 'Risk limit violations per second by violation type (`risk_violations_total`).',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (violation_type) (rate(risk_violations_total{job=~"$job", strategy_id=~"$strategy"}${RATE}))`,
            legend: '{{violation_type}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Broker API call latency p95 by broker',
        description: 'p95 duration of outgoing broker API calls (`broker_api_call_duration_seconds`).',
        unit: 's',
        queries: [
          {
            expr: `histogram_quantile(0.95, sum by (le, broker) (rate(broker_api_call_duration_seconds_bucket{job=~"$job"}${RATE})))`,
            legend: '{{broker}}',
            exemplar: true,
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Failed broker API calls by broker',
        description: 'Broker API calls per second that did not end in success.',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (broker, status) (rate(broker_api_call_duration_seconds_count{job=~"$job", status!="success"}${RATE}))`,
            legend: '{{broker}} {{status}}',
          },
        ],
      }),
    )
    .withRow(row('HTTP API'))
    .withPanel(
      timeseries({
        title: 'Requests per second by route',
        description:
          'Incoming HTTP requests per second by method and route template (`api_request_duration_seconds_count`).',
        unit: 'reqps',
        queries: [
          {
            expr: `sum by (method, route) (rate(api_request_duration_seconds_count{job=~"$job"}${RATE}))`,
            legend: '{{method}} {{route}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Server error and timeout ratio',
        description:
          'Share of HTTP requests that failed on the server side: answered 5xx, or closed out by the request timeout (which has no status code), as ApiErrorRateHigh counts them (`outcome`).',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum(rate(api_request_duration_seconds_count{job=~"$job", outcome=~"server_error|timeout"}${RATE})) / sum(rate(api_request_duration_seconds_count{job=~"$job"}${RATE}))`,
            legend: 'failed ratio',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Requests per second by outcome',
        description:
          'Incoming HTTP requests per second by outcome: success, client_error (4xx), server_error (5xx), aborted (the client went away) and timeout (no response within the request timeout).',
        unit: 'reqps',
        queries: [
          {
            expr: `sum by (outcome) (rate(api_request_duration_seconds_count{job=~"$job"}${RATE}))`,
            legend: '{{outcome}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Request latency p95 by route',
        description:
          'p95 duration of HTTP requests by route template over 5-minute windows (recording rule `job_route:api_request_duration_seconds_bucket:rate5m`).',
        unit: 's',
        queries: [
          {
            expr: 'histogram_quantile(0.95, sum by (le, route) (job_route:api_request_duration_seconds_bucket:rate5m{job=~"$job"}))',
            legend: '{{route}}',
          },
        ],
      }),
    );
}
