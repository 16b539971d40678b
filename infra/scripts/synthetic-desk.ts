import { METRIC_CATALOG } from '@jts/metrics';

/** One series family of the synthetic history: its type, label sets and how its value moves. */
export interface HistoryFamily {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labelSets: ReadonlyArray<Record<string, string>>;
  /** Histogram bucket bounds (without +Inf). */
  readonly buckets?: readonly number[];
  /** Mean increase per second (counters, histogram counts) or level (gauges). */
  readonly rate: number;
}

/** Size of the synthetic desk. */
export interface DeskSize {
  readonly strategies: number;
  readonly symbols: number;
  /** Symbols each strategy trades. */
  readonly symbolsPerStrategy: number;
  readonly exchanges: number;
  /** Instances of each of the three services (order, strategy, market data). */
  readonly instancesPerService: number;
  readonly hosts: number;
}

/** The desk the cost measurement uses (see docs/guides/stack.md, "Query cost"). */
export const MEASURED_DESK: DeskSize = {
  strategies: 6,
  symbols: 24,
  symbolsPerStrategy: 5,
  exchanges: 2,
  instancesPerService: 2,
  hosts: 2,
};

const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/**
 * The series families of a trading desk instrumented with the SDK: every catalog metric with
 * label sets of the size given, the runtime metrics of each instance, what Prometheus records per
 * target (`up`, `scrape_*`), and node-exporter series per host.
 */
export function deskFamilies(size: DeskSize): HistoryFamily[] {
  const strategies = range(size.strategies, 'strategy-');
  const symbols = range(size.symbols, 'SYM');
  const exchanges = range(size.exchanges, 'X');
  const services = ['order-service', 'strategy-engine', 'market-data'];
  const instance = (service: string, n: number) => ({
    job: service,
    instance: `${service}-${(n % size.instancesPerService) + 1}:9464`,
  });
  const orders = strategies.flatMap((strategy_id, s) =>
    Array.from({ length: size.symbolsPerStrategy }, (_, k) => symbols[(s * 3 + k) % symbols.length]!).flatMap(
      (symbol, k) =>
        ['buy', 'sell'].flatMap((side) =>
          ['limit', 'market'].map((order_type) => ({
            ...instance('order-service', s + k),
            strategy_id,
            symbol,
            exchange: exchanges[(s + k) % exchanges.length]!,
            side,
            order_type,
          })),
        ),
    ),
  );
  const feeds = symbols.flatMap((symbol, k) =>
    exchanges.map((exchange) => ({ ...instance('market-data', k), symbol, exchange })),
  );
  const perStrategy = (service: string) =>
    strategies.map((strategy_id, s) => ({ ...instance(service, s), strategy_id }));
  const instances = services.flatMap((service) =>
    Array.from({ length: size.instancesPerService }, (_, n) => instance(service, n)),
  );
  const withStatus = (sets: Record<string, string>[], statuses: string[]) =>
    sets.flatMap((set) => statuses.map((status) => ({ ...set, status })));
  const catalog = new Map<string, (typeof METRIC_CATALOG)[number]>(METRIC_CATALOG.map((entry) => [entry.name, entry]));
  const histogram = (name: string, labelSets: Record<string, string>[], rate: number): HistoryFamily => ({
    name,
    type: 'histogram',
    labelSets,
    rate,
    buckets: (catalog.get(name) as { buckets: readonly number[] }).buckets,
  });

  const families: HistoryFamily[] = [
    histogram('order_execution_duration_seconds', orders, 0.05),
    {
      name: 'order_execution_total',
      type: 'counter',
      labelSets: withStatus(orders, ['filled', 'rejected', 'error']),
      rate: 0.02,
    },
    {
      name: 'order_execution_errors_total',
      type: 'counter',
      labelSets: orders.map(({ side: _s, order_type: _o, ...rest }) => ({ ...rest, error_type: 'VENUE_CLOSED' })),
      rate: 0.001,
    },
    histogram(
      'strategy_execution_duration_seconds',
      withStatus(perStrategy('strategy-engine'), ['success', 'error']),
      0.5,
    ),
    histogram('risk_check_duration_seconds', withStatus(perStrategy('order-service'), ['success', 'rejected']), 0.3),
    {
      name: 'risk_violations_total',
      type: 'counter',
      labelSets: perStrategy('order-service').map((set) => ({ ...set, violation_type: 'notional_limit' })),
      rate: 0.001,
    },
    histogram('market_data_latency_seconds', feeds, 5),
    { name: 'market_data_updates_total', type: 'counter', labelSets: feeds, rate: 5 },
    histogram('market_data_processing_duration_seconds', withStatus(feeds, ['success']), 5),
    histogram(
      'broker_api_call_duration_seconds',
      instances
        .filter((set) => set.job === 'order-service')
        .flatMap((set) =>
          ['ib', 'alpaca'].flatMap((broker) => ['success', 'error'].map((status) => ({ ...set, broker, status }))),
        ),
      1,
    ),
    histogram(
      'api_request_duration_seconds',
      instances.flatMap((set) =>
        ['/orders', '/orders/:id', '/positions', '/health'].flatMap((route) =>
          [
            ['200', 'success'],
            ['503', 'server_error'],
            ['none', 'timeout'],
          ].map(([status_code, outcome]) => ({
            ...set,
            method: 'GET',
            route,
            status_code: status_code!,
            outcome: outcome!,
          })),
        ),
      ),
      2,
    ),
    { name: 'strategy_pnl', type: 'gauge', labelSets: perStrategy('strategy-engine'), rate: 5000 },
    { name: 'strategy_drawdown_current', type: 'gauge', labelSets: perStrategy('strategy-engine'), rate: 3 },
    { name: 'strategy_win_rate', type: 'gauge', labelSets: perStrategy('strategy-engine'), rate: 0.55 },
    {
      name: 'portfolio_exposure',
      type: 'gauge',
      labelSets: orders
        .filter((set) => set.side === 'buy' && set.order_type === 'limit')
        .map(({ strategy_id, symbol, job, instance: at }) => ({ job, instance: at, strategy_id, symbol })),
      rate: 100_000,
    },
    {
      name: 'database_connection_pool_active',
      type: 'gauge',
      labelSets: instances.map((set) => ({ ...set, pool: 'main' })),
      rate: 5,
    },
    {
      name: 'database_connection_pool_max',
      type: 'gauge',
      labelSets: instances.map((set) => ({ ...set, pool: 'main' })),
      rate: 20,
    },
    {
      name: 'jts_metrics_series',
      type: 'gauge',
      labelSets: instances.flatMap((set) =>
        METRIC_CATALOG.slice(0, 17).map((entry) => ({ ...set, metric: entry.name })),
      ),
      rate: 100,
    },
    {
      name: 'jts_correlation_ids_total',
      type: 'counter',
      labelSets: instances.flatMap((set) =>
        ['accepted', 'generated', 'rejected'].map((outcome) => ({ ...set, outcome })),
      ),
      rate: 2,
    },
    {
      name: 'jts_log_lines_total',
      type: 'counter',
      labelSets: instances.flatMap((set) => ['info', 'warn', 'error'].map((level) => ({ ...set, level }))),
      rate: 20,
    },
    {
      name: 'jts_audit_records_by_type_total',
      type: 'counter',
      labelSets: instances.flatMap((set) =>
        ['order.filled', 'order.submitted', 'audit.checkpoint'].map((type) => ({ ...set, type })),
      ),
      rate: 1,
    },
    ...[
      'process_cpu_seconds_total',
      'jts_log_shipping_received_total',
      'jts_log_shipping_shipped_total',
      'jts_log_shipping_retried_total',
      'jts_log_shipping_failed_requests_total',
      'jts_trace_spans_started_total',
      'jts_trace_spans_ended_total',
      'jts_trace_spans_exported_total',
      'jts_trace_exports_failed_total',
      'jts_audit_records_total',
      'jts_audit_fsyncs_total',
      'jts_audit_checkpoints_total',
      'jts_metrics_scrape_errors_total',
      'jts_http_excluded_requests_total',
      'jts_http_handler_errors_total',
      'jts_http_late_responses_total',
      'jts_http_refused_requests_total',
    ].map(
      (name): HistoryFamily => ({
        name,
        type: 'counter',
        labelSets: instances,
        rate: /failed|retried|errors|late|refused/.test(name) ? 0 : 10,
      }),
    ),
    ...[
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'process_open_fds',
      'process_max_fds',
      'jts_log_shipping_spooled_bytes',
      'jts_audit_pending_records',
      'scrape_duration_seconds',
      'scrape_samples_scraped',
      'up',
    ].map((name): HistoryFamily => ({ name, type: 'gauge', labelSets: instances, rate: name === 'up' ? 1 : 100 })),
    // prom-client's GC histogram buckets.
    {
      name: 'nodejs_gc_duration_seconds',
      type: 'histogram',
      labelSets: instances.flatMap((set) => ['minor', 'major', 'incremental'].map((kind) => ({ ...set, kind }))),
      rate: 0.5,
      buckets: [0.001, 0.01, 0.1, 1, 2, 5],
    },
  ];
  const hosts = range(size.hosts, 'host-').map((host) => ({ job: 'node', instance: `${host}:9100` }));
  families.push(
    {
      name: 'node_cpu_seconds_total',
      type: 'counter',
      labelSets: hosts.flatMap((set) =>
        range(8, '').flatMap((cpu) => ['idle', 'user', 'system', 'iowait'].map((mode) => ({ ...set, cpu, mode }))),
      ),
      rate: 0.25,
    },
    ...['node_memory_MemAvailable_bytes', 'node_memory_MemTotal_bytes', 'node_load1', 'node_uname_info'].map(
      (name): HistoryFamily => ({ name, type: 'gauge', labelSets: hosts, rate: 1e9 }),
    ),
    ...['node_filesystem_avail_bytes', 'node_filesystem_size_bytes'].map(
      (name): HistoryFamily => ({
        name,
        type: 'gauge',
        labelSets: hosts.flatMap((set) =>
          ['/', '/var'].map((mountpoint) => ({ ...set, mountpoint, fstype: 'ext4', device: '/dev/vda' })),
        ),
        rate: 5e10,
      }),
    ),
    {
      name: 'node_network_receive_bytes_total',
      type: 'counter',
      labelSets: hosts.flatMap((set) => ['eth0', 'lo'].map((device) => ({ ...set, device }))),
      rate: 1e6,
    },
  );
  // Dropping labels (errors have no side or order type) repeats label sets: keep each once.
  return families.map((family) => ({
    ...family,
    labelSets: [...new Map(family.labelSets.map((set) => [JSON.stringify(set), set])).values()],
  }));
}

/** Series count of the families (histograms count every bucket, `_sum` and `_count`). */
export function seriesCount(families: readonly HistoryFamily[]): number {
  return families.reduce(
    (sum, family) => sum + family.labelSets.length * (family.type === 'histogram' ? family.buckets!.length + 3 : 1),
    0,
  );
}
