/**
 * Metrics of other exporters that the alert rules use: node-exporter, Prometheus and Alertmanager
 * themselves. Not in the JTS catalog; the live test checks that the real binaries expose each one.
 */
export const EXTERNAL_METRIC_NAMES: readonly string[] = [
  'up',
  'node_cpu_seconds_total',
  'node_memory_MemAvailable_bytes',
  'node_memory_MemTotal_bytes',
  'node_filesystem_avail_bytes',
  'node_filesystem_size_bytes',
  'node_filesystem_readonly',
  'prometheus_notifications_errors_total',
  'prometheus_notifications_sent_total',
  'prometheus_rule_evaluation_failures_total',
  'prometheus_remote_storage_highest_timestamp_in_seconds',
  'prometheus_remote_storage_queue_highest_sent_timestamp_seconds',
  'alertmanager_notifications_failed_total',
  'alertmanager_notifications_total',
];
