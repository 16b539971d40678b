import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { createDashboard, row } from './dashboard-kit.js';
import { INCIDENT_ONLY, timeseries } from './panel-kit.js';

const JOB = 'job=~"$job"';
const RATE = '[$__rate_interval]';
const rate = (metric: string) => `sum(rate(${metric}{${JOB}}${RATE}))`;
const lost = (metric: string) => `sum by (instance) (increase(${metric}{${JOB}}${RATE})) > 0`;

/** The SDK watching itself: log shipping, spans, the audit trail, HTTP adapters, run subscribers, metric cardinality and scrapes. */
export function observabilityPipeline(): DashboardBuilder {
  return createDashboard({
    uid: 'jts-observability-pipeline',
    title: 'JTS / Observability pipeline',
    description:
      'The JTS SDK watching itself: log lines and shipping to Elasticsearch, spans exported to Jaeger, the audit trail, the HTTP adapters and the signals observing runs, metric cardinality and scrapes.',
    from: 'now-6h',
    jobMetric: 'jts_metrics_series',
  })
    .withRow(row('Logs'))
    .withPanel(
      timeseries({
        title: 'Log lines per second by level',
        description: 'Lines written by @jts/log (`jts_log_lines_total`).',
        unit: 'ops',
        queries: [{ expr: `sum by (level) (rate(jts_log_lines_total{${JOB}}${RATE}))`, legend: '{{level}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Log shipping throughput',
        description:
          'Lines the Elasticsearch shipper received from the logger and lines Elasticsearch acknowledged, per second.',
        unit: 'ops',
        queries: [
          { expr: rate('jts_log_shipping_received_total'), legend: 'received' },
          { expr: rate('jts_log_shipping_shipped_total'), legend: 'shipped' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Log shipping spool',
        description:
          'Bytes waiting in the disk spool for Elasticsearch; steady growth means Elasticsearch is down or too slow.',
        unit: 'bytes',
        queries: [{ expr: `sum by (instance) (jts_log_shipping_spooled_bytes{${JOB}})`, legend: '{{instance}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Log shipping retries and failed requests',
        description: 'Documents sent again and whole `_bulk` requests that failed, per second.',
        unit: 'ops',
        queries: [
          { expr: rate('jts_log_shipping_retried_total'), legend: 'retried documents' },
          { expr: rate('jts_log_shipping_failed_requests_total'), legend: 'failed requests' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Log lines lost',
        description: `Lines dropped by the logger or the shipper, or dead-lettered by Elasticsearch, per interval. ${INCIDENT_ONLY}`,
        unit: 'short',
        span: 24,
        queries: [
          { expr: lost('jts_log_dropped_total'), legend: 'logger dropped {{instance}}' },
          { expr: lost('jts_log_shipping_dropped_total'), legend: 'shipper dropped {{instance}}' },
          { expr: lost('jts_log_shipping_dead_lettered_total'), legend: 'dead-lettered {{instance}}' },
        ],
      }),
    )
    .withRow(row('Traces'))
    .withPanel(
      timeseries({
        title: 'Spans per second',
        description: 'Spans started, ended and accepted by the OTLP collector (Jaeger), per second.',
        unit: 'ops',
        queries: [
          { expr: rate('jts_trace_spans_started_total'), legend: 'started' },
          { expr: rate('jts_trace_spans_ended_total'), legend: 'ended' },
          { expr: rate('jts_trace_spans_exported_total'), legend: 'exported' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Failed span exports',
        description: 'OTLP exports that failed after their retries, per second.',
        unit: 'ops',
        queries: [{ expr: rate('jts_trace_exports_failed_total'), legend: 'failed exports' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Spans lost',
        description: `Spans dropped before the collector or rejected by it, per interval. ${INCIDENT_ONLY}`,
        unit: 'short',
        span: 24,
        queries: [
          { expr: lost('jts_trace_spans_dropped_total'), legend: 'dropped {{instance}}' },
          { expr: lost('jts_trace_spans_rejected_total'), legend: 'rejected {{instance}}' },
        ],
      }),
    )
    .withRow(row('Audit trail'))
    .withPanel(
      timeseries({
        title: 'Audit records per second by type',
        description: 'Durable audit records by record type, checkpoints included (`jts_audit_records_by_type_total`).',
        unit: 'ops',
        queries: [{ expr: `sum by (type) (rate(jts_audit_records_by_type_total{${JOB}}${RATE}))`, legend: '{{type}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Audit records per fsync',
        description: 'Records made durable per fdatasync: group commit keeps it above 1 under concurrency.',
        unit: 'short',
        queries: [
          {
            expr: `${rate('jts_audit_records_total')} / ${rate('jts_audit_fsyncs_total')}`,
            legend: 'records per fsync',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Audit checkpoints and pending records',
        description: 'Signed checkpoints written per second, and records waiting for the next group commit.',
        unit: 'short',
        queries: [
          { expr: rate('jts_audit_checkpoints_total'), legend: 'checkpoints per second' },
          { expr: `sum(jts_audit_pending_records{${JOB}})`, legend: 'pending records' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Audit failures',
        description: `Records that were not made durable, checkpoints not signed or not exported, per interval. ${INCIDENT_ONLY}`,
        unit: 'short',
        queries: [
          { expr: lost('jts_audit_not_durable_total'), legend: 'not durable {{instance}}' },
          { expr: lost('jts_audit_checkpoint_sign_failures_total'), legend: 'checkpoint not signed {{instance}}' },
          { expr: lost('jts_audit_checkpoint_export_failures_total'), legend: 'checkpoint not exported {{instance}}' },
        ],
      }),
    )
    .withRow(row('HTTP adapters and run subscribers'))
    .withPanel(
      timeseries({
        title: 'Requests served without a run',
        description:
          "Requests the HTTP adapters served with no span, line or series because they are excluded (`/metrics`, health probes, `exclude`), per second (`jts_http_excluded_requests_total`, from `collectStats('http', httpStats)`).",
        unit: 'reqps',
        queries: [{ expr: rate('jts_http_excluded_requests_total'), legend: 'excluded' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Handler errors, late responses and refused requests',
        description:
          'Per second: handler throws the adapters answered with a 500, responses that ended after their request was closed out as a timeout, and requests refused with a 503 while the process was ending (seen only when /metrics is served outside the instrumented server: the scrape is refused too).',
        unit: 'reqps',
        queries: [
          { expr: rate('jts_http_handler_errors_total'), legend: 'handler errors' },
          { expr: rate('jts_http_late_responses_total'), legend: 'late responses' },
          { expr: rate('jts_http_refused_requests_total'), legend: 'refused while ending' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Run subscriber failures by signal',
        description: `Calls of a signal observing an operation run (log, metrics, trace, compliance, or another subscriber) that threw and were contained, per interval: the run went on, but that signal may lack it (\`jts_run_subscriber_failures_total\`). ${INCIDENT_ONLY}`,
        unit: 'short',
        span: 24,
        queries: [
          {
            expr: `sum by (source) (increase(jts_run_subscriber_failures_total{${JOB}}${RATE})) > 0`,
            legend: '{{source}}',
          },
        ],
      }),
    )
    .withRow(row('Metrics and scrapes'))
    .withPanel(
      timeseries({
        title: 'Series per metric (top 10)',
        description:
          'Label sets held per catalog metric (`jts_metrics_series`); a metric at its cap folds new label sets into `__overflow__`.',
        unit: 'short',
        queries: [{ expr: `topk(10, max by (metric) (jts_metrics_series{${JOB}}))`, legend: '{{metric}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Observations folded into __overflow__',
        description: `Observations per second that hit a metric's series cap, by metric. ${INCIDENT_ONLY}`,
        unit: 'ops',
        queries: [
          {
            expr: `sum by (metric) (rate(jts_metrics_series_overflow_total{${JOB}}${RATE})) > 0`,
            legend: '{{metric}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Invalid observations by reason',
        description: `Observations rejected or repaired in production mode, per second. ${INCIDENT_ONLY}`,
        unit: 'ops',
        queries: [
          {
            expr: `sum by (metric, reason) (rate(jts_metrics_invalid_observations_total{${JOB}}${RATE})) > 0`,
            legend: '{{metric}} {{reason}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Correlation IDs by outcome',
        description: 'Incoming correlation IDs accepted, generated or rejected, per second.',
        unit: 'ops',
        queries: [{ expr: `sum by (outcome) (rate(jts_correlation_ids_total{${JOB}}${RATE}))`, legend: '{{outcome}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Scrape duration',
        description: 'How long Prometheus takes to scrape each target.',
        unit: 's',
        queries: [{ expr: `max by (instance) (scrape_duration_seconds{${JOB}})`, legend: '{{instance}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Failed scrapes',
        description: `Scrapes the metrics handler answered with status 500, per interval. ${INCIDENT_ONLY}`,
        unit: 'short',
        queries: [{ expr: lost('jts_metrics_scrape_errors_total'), legend: '{{instance}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Samples per scrape',
        description: 'Samples each scrape of a target returned: the series count Prometheus stores for it.',
        unit: 'short',
        span: 24,
        queries: [{ expr: `sum by (instance) (scrape_samples_scraped{${JOB}})`, legend: '{{instance}}' }],
      }),
    );
}
