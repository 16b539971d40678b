import type { MetricDefinition } from './catalog-types.js';

/** Order latency buckets: 100 us to 5 s, roughly 1-2.5-5 per decade. */
export const ORDER_LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;
/** Market-data latency buckets: 50 us to 1 s. */
export const MARKET_DATA_LATENCY_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] as const;
/** HTTP and broker call buckets: 5 ms to 10 s. */
export const REQUEST_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

const ORDER_LABELS = ['strategy_id', 'symbol', 'exchange', 'side', 'order_type'] as const;

/**
 * The trading metric catalog: the single source of the typed recorders, of
 * `docs/reference/metrics.md` and of the name check used by dashboards and alert rules.
 * Data only; `createTradingMetrics` builds one series family per entry.
 */
export const METRIC_CATALOG = [
  // Orders
  { name: 'order_execution_duration_seconds', type: 'histogram', group: 'orders', unit: 'seconds', source: 'recordOrderExecution', operation: 'order.execution', help: 'Time from order submission to broker acknowledgement.', labelNames: ORDER_LABELS, buckets: ORDER_LATENCY_BUCKETS },
  { name: 'order_execution_total', type: 'counter', group: 'orders', unit: 'orders', source: 'recordOrderExecution', operation: 'order.execution', help: 'Orders executed, by outcome status.', labelNames: [...ORDER_LABELS, 'status'] },
  { name: 'order_execution_errors_total', type: 'counter', group: 'orders', unit: 'errors', source: 'recordOrderExecution', operation: 'order.execution', help: 'Order executions that failed, by error type.', labelNames: ['strategy_id', 'symbol', 'exchange', 'error_type'] },
  // Strategies
  { name: 'strategy_pnl', type: 'gauge', group: 'strategies', unit: 'currency', source: 'setStrategyPnl', help: 'Total profit and loss of a strategy in its account currency.', labelNames: ['strategy_id'], formerly: { name: 'strategy_pnl_total', reason: 'a P&L goes up and down, so it is a gauge, and the _total suffix is reserved for counters (promtool rejects it)' } },
  { name: 'strategy_drawdown_current', type: 'gauge', group: 'strategies', unit: 'percent', source: 'setStrategyDrawdown', help: 'Current drawdown of a strategy from its peak equity, in percent.', labelNames: ['strategy_id'] },
  { name: 'strategy_win_rate', type: 'gauge', group: 'strategies', unit: 'ratio', source: 'setStrategyWinRate', help: 'Share of winning trades of a strategy, from 0 to 1.', labelNames: ['strategy_id'] },
  { name: 'strategy_execution_duration_seconds', type: 'histogram', group: 'operations', unit: 'seconds', operation: 'strategy.execution', help: 'Duration of one strategy evaluation.', labelNames: ['strategy_id', 'status'], buckets: ORDER_LATENCY_BUCKETS },
  // Market data
  { name: 'market_data_latency_seconds', type: 'histogram', group: 'market_data', unit: 'seconds', source: 'recordMarketDataUpdate', help: 'Delay from the exchange timestamp of a market-data update to its receipt.', labelNames: ['symbol', 'exchange'], buckets: MARKET_DATA_LATENCY_BUCKETS },
  { name: 'market_data_updates_total', type: 'counter', group: 'market_data', unit: 'updates', source: 'recordMarketDataUpdate', operation: 'market_data.processing', help: 'Market-data updates received.', labelNames: ['symbol', 'exchange'] },
  { name: 'market_data_processing_duration_seconds', type: 'histogram', group: 'operations', unit: 'seconds', operation: 'market_data.processing', help: 'Time spent handling one market-data update.', labelNames: ['symbol', 'exchange', 'status'], buckets: MARKET_DATA_LATENCY_BUCKETS },
  // Risk
  { name: 'risk_violations_total', type: 'counter', group: 'risk', unit: 'violations', source: 'recordRiskViolation', help: 'Risk limit violations, by strategy and violation type.', labelNames: ['strategy_id', 'violation_type'] },
  { name: 'portfolio_exposure', type: 'gauge', group: 'risk', unit: 'currency', source: 'setPortfolioExposure', help: 'Current gross exposure of a strategy in its account currency.', labelNames: ['strategy_id', 'symbol'], formerly: { name: 'portfolio_exposure_total', reason: 'exposure is a level, so it is a gauge, and the _total suffix is reserved for counters (promtool rejects it)' } },
  { name: 'risk_check_duration_seconds', type: 'histogram', group: 'operations', unit: 'seconds', operation: 'risk.check', help: 'Duration of one pre-trade risk check.', labelNames: ['strategy_id', 'status'], buckets: ORDER_LATENCY_BUCKETS },
  // API and brokers
  { name: 'api_request_duration_seconds', type: 'histogram', group: 'api', unit: 'seconds', source: 'recordApiRequest', operation: 'http.server.request', help: 'Duration of incoming HTTP requests by method, route template, status code (none when the client got no response) and outcome (success, client_error, server_error, aborted, timeout).', labelNames: ['method', 'route', 'status_code', 'outcome'], buckets: REQUEST_LATENCY_BUCKETS },
  { name: 'broker_api_call_duration_seconds', type: 'histogram', group: 'api', unit: 'seconds', operation: 'broker.api_call', help: 'Duration of outgoing broker API calls.', labelNames: ['broker', 'status'], buckets: REQUEST_LATENCY_BUCKETS },
  // Database pools
  { name: 'database_connection_pool_active', type: 'gauge', group: 'database', unit: 'connections', source: 'setDatabasePool', help: 'Connections of a database pool currently in use.', labelNames: ['pool'] },
  { name: 'database_connection_pool_max', type: 'gauge', group: 'database', unit: 'connections', source: 'setDatabasePool', help: 'Configured maximum size of a database pool.', labelNames: ['pool'] },
  // Self-metrics of the SDK
  { name: 'jts_metrics_series_overflow_total', type: 'counter', group: 'self', unit: 'observations', source: 'cardinality guard', help: 'Observations folded into the __overflow__ series because a metric reached its series cap.', labelNames: ['metric'] },
  { name: 'jts_metrics_invalid_observations_total', type: 'counter', group: 'self', unit: 'observations', source: 'input validation', help: 'Observations rejected or repaired in production mode, by reason.', labelNames: ['metric', 'reason'] },
  { name: 'jts_metrics_series', type: 'gauge', group: 'self', unit: 'series', source: 'cardinality guard', help: 'Series currently held per catalog metric.', labelNames: ['metric'] },
  { name: 'jts_metrics_scrape_errors_total', type: 'counter', group: 'self', unit: 'scrapes', source: 'metricsHandler', help: 'Scrapes of the metrics handler that failed with status 500.', labelNames: [] },
  { name: 'jts_correlation_ids_total', type: 'counter', group: 'self', unit: 'ids', stats: { from: 'core', byKey: '*' }, help: 'Incoming correlation IDs by outcome: accepted, generated or rejected.', labelNames: ['outcome'] },
  { name: 'jts_run_subscriber_failures_total', type: 'counter', group: 'self', unit: 'failures', stats: { from: 'runs', byKey: 'failures' }, help: 'Calls of a signal observing an operation run that threw and were contained (the run was unaffected; that signal may lack the run), by signal.', labelNames: ['source'] },
  { name: 'jts_http_excluded_requests_total', type: 'counter', group: 'self', unit: 'requests', stats: { from: 'http', field: 'excluded' }, help: 'Requests the HTTP adapters served without a run (excluded paths and templates: no span, no line, no series).', labelNames: [] },
  { name: 'jts_http_handler_errors_total', type: 'counter', group: 'self', unit: 'requests', stats: { from: 'http', field: 'handlerErrors' }, help: 'Handler errors the HTTP adapters answered with a 500 (or a closed connection once headers were sent).', labelNames: [] },
  { name: 'jts_http_late_responses_total', type: 'counter', group: 'self', unit: 'responses', stats: { from: 'http', field: 'lateResponses' }, help: 'Responses that ended after their request had been closed out with the timeout outcome.', labelNames: [] },
  { name: 'jts_http_refused_requests_total', type: 'counter', group: 'self', unit: 'requests', stats: { from: 'http', field: 'refused' }, help: 'Requests the HTTP adapters answered with 503 because the process was ending.', labelNames: [] },
  // Self-metrics of the other packages, read at scrape time from their stats() objects
  // (`collectStats('log' | 'trace' | 'audit' | 'http', () => x.stats())`); `stats` names the field read,
  // checked against the @jts/core type of that object.
  { name: 'jts_log_lines_total', type: 'counter', group: 'self', unit: 'lines', stats: { from: 'log', byKey: 'lines' }, help: 'Log lines written by @jts/log, by level.', labelNames: ['level'] },
  { name: 'jts_log_dropped_total', type: 'counter', group: 'self', unit: 'lines', stats: { from: 'log', field: 'dropped' }, help: 'Log line deliveries @jts/log lost (buffer limit, failed write, write after close).', labelNames: [] },
  { name: 'jts_log_operation_lines_total', type: 'counter', group: 'self', unit: 'lines', stats: { from: 'log', field: 'operationLines' }, help: 'Completion and failure lines @jts/log wrote for operation runs.', labelNames: [] },
  { name: 'jts_log_shipping_received_total', type: 'counter', group: 'self', unit: 'lines', stats: { from: 'log', field: 'elasticsearch.received' }, help: 'Lines the Elasticsearch shipper received from the logger.', labelNames: [] },
  { name: 'jts_log_shipping_shipped_total', type: 'counter', group: 'self', unit: 'lines', stats: { from: 'log', field: 'elasticsearch.shipped' }, help: 'Lines Elasticsearch acknowledged.', labelNames: [] },
  { name: 'jts_log_shipping_retried_total', type: 'counter', group: 'self', unit: 'documents', stats: { from: 'log', field: 'elasticsearch.retried' }, help: 'Documents sent again after a 429, 5xx, timeout or connection failure.', labelNames: [] },
  { name: 'jts_log_shipping_dead_lettered_total', type: 'counter', group: 'self', unit: 'documents', stats: { from: 'log', field: 'elasticsearch.deadLettered' }, help: 'Documents Elasticsearch rejected for good (written to the dead-letter file).', labelNames: [] },
  { name: 'jts_log_shipping_dropped_total', type: 'counter', group: 'self', unit: 'lines', stats: { from: 'log', field: 'elasticsearch.dropped' }, help: 'Lines the shipper dropped because the spool was full or could not be written.', labelNames: [] },
  { name: 'jts_log_shipping_failed_requests_total', type: 'counter', group: 'self', unit: 'requests', stats: { from: 'log', field: 'elasticsearch.failedRequests' }, help: 'Elasticsearch _bulk requests that failed as a whole.', labelNames: [] },
  { name: 'jts_log_shipping_spooled_bytes', type: 'gauge', group: 'self', unit: 'bytes', stats: { from: 'log', field: 'elasticsearch.spooledBytes' }, help: 'Bytes in the log shipping disk spool not yet acknowledged.', labelNames: [] },
  { name: 'jts_log_shipping_spool_syncs_total', type: 'counter', group: 'self', unit: 'calls', stats: { from: 'log', field: 'elasticsearch.spoolSyncs' }, help: 'fdatasync calls that forced the log shipping spool to disk.', labelNames: [] },
  { name: 'jts_log_shipping_heap_used_bytes', type: 'gauge', group: 'self', unit: 'bytes', stats: { from: 'log', field: 'elasticsearch.shipperHeapUsedBytes' }, help: 'Heap used by the log shipper worker thread.', labelNames: [] },
  { name: 'jts_trace_spans_started_total', type: 'counter', group: 'self', unit: 'spans', stats: { from: 'trace', field: 'spans.started' }, help: 'Recording spans started by @jts/trace.', labelNames: [] },
  { name: 'jts_trace_spans_ended_total', type: 'counter', group: 'self', unit: 'spans', stats: { from: 'trace', field: 'spans.ended' }, help: 'Recording spans ended.', labelNames: [] },
  { name: 'jts_trace_spans_exported_total', type: 'counter', group: 'self', unit: 'spans', stats: { from: 'trace', field: 'spans.exported' }, help: 'Spans the OTLP collector accepted.', labelNames: [] },
  { name: 'jts_trace_spans_dropped_total', type: 'counter', group: 'self', unit: 'spans', stats: { from: 'trace', field: 'spans.dropped' }, help: 'Spans lost before the collector (queue full or failed export).', labelNames: [] },
  { name: 'jts_trace_spans_rejected_total', type: 'counter', group: 'self', unit: 'spans', stats: { from: 'trace', field: 'spans.rejected' }, help: 'Spans the collector rejected (partial success).', labelNames: [] },
  { name: 'jts_trace_exports_failed_total', type: 'counter', group: 'self', unit: 'exports', stats: { from: 'trace', field: 'exports.failed' }, help: 'OTLP exports that failed after their retries.', labelNames: [] },
  { name: 'jts_audit_records_total', type: 'counter', group: 'self', unit: 'records', stats: { from: 'audit', field: 'recorded' }, help: 'Audit records made durable by @jts/compliance (checkpoints excluded).', labelNames: [] },
  { name: 'jts_audit_records_by_type_total', type: 'counter', group: 'self', unit: 'records', stats: { from: 'audit', byKey: 'byType' }, help: 'Durable audit records by record type (checkpoints included).', labelNames: ['type'] },
  { name: 'jts_audit_not_durable_total', type: 'counter', group: 'self', unit: 'records', stats: { from: 'audit', field: 'notDurable' }, help: 'Audit records whose record() rejected with JTS_ERR_AUDIT_NOT_DURABLE.', labelNames: [] },
  { name: 'jts_audit_checkpoints_total', type: 'counter', group: 'self', unit: 'checkpoints', stats: { from: 'audit', field: 'checkpoints' }, help: 'Signed audit checkpoints written.', labelNames: [] },
  { name: 'jts_audit_checkpoint_export_failures_total', type: 'counter', group: 'self', unit: 'checkpoints', stats: { from: 'audit', field: 'checkpointExportFailures' }, help: 'Audit checkpoints that could not be exported.', labelNames: [] },
  { name: 'jts_audit_checkpoint_sign_failures_total', type: 'counter', group: 'self', unit: 'checkpoints', stats: { from: 'audit', field: 'checkpointSignFailures' }, help: 'Audit checkpoints left out because the external signer failed or timed out.', labelNames: [] },
  { name: 'jts_audit_fsyncs_total', type: 'counter', group: 'self', unit: 'calls', stats: { from: 'audit', field: 'fsyncs' }, help: 'fdatasync calls of the audit trail (group commit makes them fewer than records).', labelNames: [] },
  { name: 'jts_audit_rotations_total', type: 'counter', group: 'self', unit: 'files', stats: { from: 'audit', field: 'rotations' }, help: 'Audit trail files started.', labelNames: [] },
  { name: 'jts_audit_pending_records', type: 'gauge', group: 'self', unit: 'records', stats: { from: 'audit', field: 'pending' }, help: 'Audit records waiting for the next group commit.', labelNames: [] },
] as const satisfies readonly MetricDefinition[];

/** The catalog, typed as its literal entries. */
export type MetricCatalog = typeof METRIC_CATALOG;
/** Name of one catalog metric. */
export type CatalogMetricName = MetricCatalog[number]['name'];

/**
 * Default process and Node runtime metrics of prom-client 15 (`collectDefaultMetrics`), without
 * the optional prefix. Part of the catalog so the name check knows them.
 */
export const RUNTIME_METRIC_NAMES: readonly (readonly [name: string, type: 'counter' | 'gauge' | 'histogram'])[] = [
  ['process_cpu_user_seconds_total', 'counter'], ['process_cpu_system_seconds_total', 'counter'], ['process_cpu_seconds_total', 'counter'],
  ['process_start_time_seconds', 'gauge'], ['process_resident_memory_bytes', 'gauge'], ['process_virtual_memory_bytes', 'gauge'],
  ['process_heap_bytes', 'gauge'], ['process_open_fds', 'gauge'], ['process_max_fds', 'gauge'],
  ['nodejs_eventloop_lag_seconds', 'gauge'], ['nodejs_eventloop_lag_min_seconds', 'gauge'], ['nodejs_eventloop_lag_max_seconds', 'gauge'],
  ['nodejs_eventloop_lag_mean_seconds', 'gauge'], ['nodejs_eventloop_lag_stddev_seconds', 'gauge'], ['nodejs_eventloop_lag_p50_seconds', 'gauge'],
  ['nodejs_eventloop_lag_p90_seconds', 'gauge'], ['nodejs_eventloop_lag_p99_seconds', 'gauge'], ['nodejs_active_resources', 'gauge'],
  ['nodejs_active_resources_total', 'gauge'], ['nodejs_active_handles', 'gauge'], ['nodejs_active_handles_total', 'gauge'],
  ['nodejs_active_requests', 'gauge'], ['nodejs_active_requests_total', 'gauge'], ['nodejs_heap_size_total_bytes', 'gauge'],
  ['nodejs_heap_size_used_bytes', 'gauge'], ['nodejs_external_memory_bytes', 'gauge'], ['nodejs_heap_space_size_total_bytes', 'gauge'],
  ['nodejs_heap_space_size_used_bytes', 'gauge'], ['nodejs_heap_space_size_available_bytes', 'gauge'], ['nodejs_version_info', 'gauge'],
  ['nodejs_gc_duration_seconds', 'histogram'],
];
