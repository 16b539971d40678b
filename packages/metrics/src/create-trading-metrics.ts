import { correlationIdStats, createRedactor, JtsError } from '@jts/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type CatalogMetricName, METRIC_CATALOG } from './catalog.js';
import { serializeRegistry } from './exposition.js';
import type { Engine } from './internal/engine.js';
import { createSpanReader } from './internal/exemplar-source.js';
import { createLabelSanitizer } from './internal/label-sanitizer.js';
import { createObservationGuard, type InvalidReason } from './internal/observation-guard.js';
import { subscribeOperations } from './internal/operation-subscriber.js';
import { RegisteredFamily } from './internal/registered-family.js';
import { SeriesFamily } from './internal/series-family.js';
import { catalogStatsBindings, createStatsUpdater } from './internal/stats-collectors.js';
import { type CatalogHandle, type CatalogLabels, createHandle } from './metric-handle.js';
import { resolveMetricsOptions, type ResolvedMetricsOptions, type TradingMetricsOptions } from './options.js';
import { createTradingRecorders, type TradingRecorders } from './trading-recorders.js';

/** The trading metrics of one service: typed recorders over a prom-client registry. */
export interface TradingMetrics extends TradingRecorders {
  /** The prom-client registry holding the catalog metrics (plus yours and the default metrics). */
  readonly registry: Registry;
  /** Options after environment variables and defaults. */
  readonly options: ResolvedMetricsOptions;
  /**
   * A pre-resolved series of any catalog metric: labels are checked and resolved once, so each
   * `observe` / `inc` / `set` costs a few field writes.
   */
  series<Name extends CatalogMetricName>(name: Name, labels?: CatalogLabels<Name>): CatalogHandle<Name>;
  /**
   * Exposes a plain stats object of another package as the catalog metrics bound to `source`
   * (`'log'`, `'trace'`, `'audit'` or its alias `'compliance'`), read at scrape time.
   * Returns a function that stops collecting.
   */
  collectStats(source: string, read: () => unknown): () => void;
  /** The exposition of the whole registry (fast path for catalog metrics). */
  metrics(format?: { readonly openMetrics?: boolean }): Promise<string>;
  /** Unsubscribes from the operations and removes the catalog metrics from the registry. */
  close(): void;
}

function defaultMetricsRegistered(registry: Registry, prefix: string): boolean {
  return registry.getSingleMetric(`${prefix}process_cpu_user_seconds_total`) !== undefined;
}

/**
 * Creates the trading metrics: one series family per catalog entry registered into a
 * prom-client registry, the `@jts/core` operation subscriptions, default runtime metrics and the
 * self-metrics of the SDK.
 *
 * @param options - registry, limits, strictness, exemplars; see the README option table
 * @returns the recorders, the registry and `close()`
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a bad option, or when the registry already holds a catalog metric
 * @example
 * const metrics = createTradingMetrics({ defaultMetricsPrefix: 'orders_' });
 * metrics.recordOrderExecution({ strategyId: 'mm-1', symbol: 'AAPL', exchange: 'XNAS', side: 'buy', orderType: 'limit' }, 0.0042);
 */
export function createTradingMetrics(options: TradingMetricsOptions = {}): TradingMetrics {
  const resolved = resolveMetricsOptions(options);
  const registry = options.registry ?? new Registry();
  if (!(registry instanceof Registry) && typeof (registry as { registerMetric?: unknown }).registerMetric !== 'function') {
    throw new JtsError('JTS_ERR_INVALID_OPTION', 'Invalid option registry: expected a prom-client Registry');
  }
  const sanitize = createLabelSanitizer(resolved.maxLabelValueLength, createRedactor(options.redactionPolicy));
  const families = new Map<string, SeriesFamily>();
  const family = (name: string) => {
    const found = families.get(name);
    if (found === undefined) throw new JtsError('JTS_ERR_INVALID_ARGUMENT', `Unknown metric ${JSON.stringify(name)}: it is not in the catalog`);
    return found;
  };
  let countInvalid = (_metric: string, _reason: InvalidReason) => {};
  const invalid = createObservationGuard(resolved.strict, (metric, reason) => countInvalid(metric, reason));
  const context = {
    sanitize,
    maxSeries: resolved.maxSeriesPerMetric,
    maxLabelValueLength: resolved.maxLabelValueLength,
    onLabelProblem: (metric: string, problem: InvalidReason, label: string) => invalid(metric, problem, `label ${label}`),
    onOverflow: (metric: string) => overflowCounter.increment(overflowCounter.resolve({ metric }), 1, undefined),
  };
  // Self-metrics are labelled with our own bounded values (metric names, reasons, outcomes): no cap,
  // no redaction, and no length limit that could recurse into reporting itself.
  const selfContext = { ...context, sanitize: createLabelSanitizer(256), maxLabelValueLength: 256, maxSeries: Number.POSITIVE_INFINITY };
  for (const definition of METRIC_CATALOG) families.set(definition.name, new SeriesFamily(definition, definition.group === 'self' ? selfContext : context));
  const overflowCounter = family('jts_metrics_series_overflow_total');
  const invalidCounter = family('jts_metrics_invalid_observations_total');
  countInvalid = (metric, reason) => invalidCounter.increment(invalidCounter.resolve({ metric, reason }), 1, undefined);

  const engine: Engine = {
    families,
    invalid,
    strict: resolved.strict,
    readSpan: resolved.exemplars ? createSpanReader() : undefined,
    family,
  };

  const collectors = new Map<string, Set<() => void>>();
  const addCollector = (name: string, collector: () => void) => {
    let set = collectors.get(name);
    if (set === undefined) collectors.set(name, (set = new Set()));
    set.add(collector);
    return () => set.delete(collector);
  };
  const seriesGauge = family('jts_metrics_series');
  addCollector('jts_metrics_series', () => {
    // Stats-fed families create their series when collected: collect them first so the count
    // does not depend on the order in which the registry lists families.
    for (const [name, set] of collectors) if (name !== 'jts_metrics_series') for (const collector of set) collector();
    for (const [name, item] of families) if (item !== seriesGauge) seriesGauge.resolve({ metric: name }).value = item.size;
  });

  const registered: RegisteredFamily[] = [];
  try {
    for (const item of families.values()) {
      const metric = new RegisteredFamily(item, registry, () => {
        for (const collector of collectors.get(item.name) ?? []) collector();
      });
      registry.registerMetric(metric as never);
      registered.push(metric);
    }
  } catch (error) {
    for (const metric of registered) registry.removeSingleMetric(metric.name);
    throw new JtsError('JTS_ERR_INVALID_OPTION', `Invalid option registry: it already holds a catalog metric (${(error as Error).message}); close() the previous TradingMetrics or pass another registry`, { cause: error });
  }
  if (resolved.defaultMetrics && !defaultMetricsRegistered(registry, resolved.defaultMetricsPrefix)) {
    collectDefaultMetrics({ register: registry, prefix: resolved.defaultMetricsPrefix });
  }

  const collectStats = (source: string, read: () => unknown) => {
    const removers = catalogStatsBindings(source).map((binding) => addCollector(binding.metric, createStatsUpdater(family(binding.metric), binding.path, read, source)));
    return () => {
      for (const remove of removers) remove();
    };
  };
  collectStats('core', correlationIdStats);

  let unsubscribe = resolved.subscribeOperations ? subscribeOperations(engine) : () => {};
  let closed = false;

  return {
    ...createTradingRecorders(engine),
    registry,
    options: resolved,
    series: (name, labels) => createHandle(engine, family(name), (labels ?? {}) as Record<string, unknown>) as never,
    collectStats,
    metrics: (format) => serializeRegistry(registry, format),
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      unsubscribe = () => {};
      for (const metric of registered) if (registry.getSingleMetric(metric.name) === (metric as never)) registry.removeSingleMetric(metric.name);
    },
  };
}
