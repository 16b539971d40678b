export type {
  CamelCase,
  CatalogEntry,
  LabelValue,
  LabelsOf,
  MetricDefinition,
  MetricGroup,
  MetricType,
} from './catalog-types.js';
export {
  MARKET_DATA_LATENCY_BUCKETS,
  METRIC_CATALOG,
  ORDER_LATENCY_BUCKETS,
  REQUEST_LATENCY_BUCKETS,
  RUNTIME_METRIC_NAMES,
} from './catalog.js';
export type { CatalogMetricName, MetricCatalog } from './catalog.js';
export { catalogMetricNames, findUnknownMetricNames } from './catalog-names.js';
export type { CatalogNameOptions } from './catalog-names.js';
export { createTradingMetrics } from './create-trading-metrics.js';
export type {
  CollectableStatsSource,
  CountsPath,
  NumberPath,
  StatsBinding,
  StatsOf,
  StatsSourceName,
  StatsSources,
} from './stats-sources.js';
export type { TradingMetrics } from './create-trading-metrics.js';
export type { OrderExecutionLabels, TradingRecorders } from './trading-recorders.js';
export type {
  CatalogHandle,
  CatalogLabels,
  CounterHandle,
  GaugeHandle,
  HandleOf,
  HistogramHandle,
} from './metric-handle.js';
export { DEFAULT_MAX_LABEL_VALUE_LENGTH, DEFAULT_MAX_SERIES_PER_METRIC, OVERFLOW_LABEL_VALUE } from './options.js';
export type { ResolvedMetricsOptions, TradingMetricsOptions } from './options.js';
export { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, serializeRegistry } from './exposition.js';
export type { SerializeOptions } from './exposition.js';
export { metricsHandler } from './metrics-handler.js';
export type { MetricsAuth, MetricsHandlerOptions, MetricsRequestHandler } from './metrics-handler.js';
export { useClusterWorkerRegistries } from './cluster.js';
