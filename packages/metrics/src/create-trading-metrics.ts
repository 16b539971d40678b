import { JtsError } from '@jts/core';
import { publishEndedRuns } from '@jts/core/internal';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { CatalogMetricName } from './catalog.js';
import { serializeRegistry } from './exposition.js';
import { acquireCatalog } from './internal/catalog-state.js';
import { catalogStatsFeeds, createStatsUpdater } from './internal/stats-collectors.js';
import { type CatalogHandle, type CatalogLabels, createHandle } from './metric-handle.js';
import { type ResolvedMetricsOptions, resolveMetricsOptions, type TradingMetricsOptions } from './options.js';
import type { CollectableStatsSource, StatsOf } from './stats-sources.js';
import type { TradingRecorders } from './trading-recorders.js';

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
   * Exposes the `stats()` object of another package as the catalog metrics bound to it, read at
   * scrape time: `'log'` (`LoggerStats`), `'trace'` (`TracingStats`), `'audit'` or its alias
   * `'compliance'` (`AuditTrailStats`). Returns a function that stops collecting.
   */
  collectStats<Source extends CollectableStatsSource>(source: Source, read: () => StatsOf<Source>): () => void;
  /** The exposition of the whole registry (fast path for catalog metrics). */
  metrics(format?: { readonly openMetrics?: boolean }): Promise<string>;
  /**
   * Stops this instance's stats collectors; the last instance on the registry also unsubscribes
   * from the operations and removes the catalog metrics from the registry. Idempotent.
   */
  close(): Promise<void>;
}

const COLLECTABLE: Readonly<Record<CollectableStatsSource, 'log' | 'trace' | 'audit' | 'http'>> = {
  log: 'log',
  trace: 'trace',
  audit: 'audit',
  compliance: 'audit',
  http: 'http',
};

function defaultMetricsRegistered(registry: Registry, prefix: string): boolean {
  return registry.getSingleMetric(`${prefix}process_cpu_user_seconds_total`) !== undefined;
}

/**
 * Creates the trading metrics: one series family per catalog entry registered into a
 * prom-client registry, the `@jts/core` operation subscriptions, default runtime metrics and the
 * self-metrics of the SDK. A second call on a registry that already holds them (tests, hot
 * reload, a second app in the process) reuses them: same series, one operation subscription, so
 * nothing is counted twice; it needs the same settings, and the catalog leaves the registry when
 * the last instance closes.
 *
 * @param options - registry, limits, strictness, exemplars, operations, redaction; see the README option table
 * @returns the recorders, the registry and `close()`
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a bad option (nothing is registered then)
 * @example
 * const metrics = createTradingMetrics({ defaultMetricsPrefix: 'orders_' });
 * metrics.recordOrderExecution({ strategyId: 'mm-1', symbol: 'AAPL', exchange: 'XNAS', side: 'buy', orderType: 'limit' }, 0.0042);
 */
export function createTradingMetrics(options: TradingMetricsOptions = {}): TradingMetrics {
  const resolved = resolveMetricsOptions(options);
  const registry = options.registry ?? new Registry();
  const catalog = acquireCatalog(registry, resolved);
  if (resolved.defaultMetrics && !defaultMetricsRegistered(registry, resolved.defaultMetricsPrefix)) {
    try {
      collectDefaultMetrics({ register: registry, prefix: resolved.defaultMetricsPrefix });
    } catch (error) {
      catalog.release();
      throw new JtsError(
        'JTS_ERR_INVALID_OPTION',
        `Invalid option defaultMetrics: the registry already holds some of the runtime metrics (${(error as Error).message}); pass defaultMetrics: false (or set JTS_METRICS_DEFAULT_METRICS=false) or another defaultMetricsPrefix`,
        { cause: error },
      );
    }
  }
  const removers = new Set<() => void>();
  let closed = false;

  return {
    ...catalog.recorders,
    registry,
    options: resolved,
    series: (name, labels) =>
      createHandle(catalog.engine, catalog.engine.family(name), (labels ?? {}) as Record<string, unknown>) as never,
    collectStats(source, read) {
      const from = COLLECTABLE[source];
      if (!Object.hasOwn(COLLECTABLE, source) || from === undefined) {
        throw new JtsError(
          'JTS_ERR_INVALID_ARGUMENT',
          `Unknown stats source ${JSON.stringify(String(source).slice(0, 64))}: expected ${Object.keys(COLLECTABLE).join(', ')}`,
        );
      }
      if (closed) return () => {};
      const own = catalogStatsFeeds(from).map((feed) =>
        catalog.addCollector(
          feed.metric,
          createStatsUpdater(catalog.engine.family(feed.metric), feed.path, read, source),
        ),
      );
      const stop = () => {
        for (const remove of own) remove();
        removers.delete(stop);
      };
      removers.add(stop);
      return stop;
    },
    metrics: (format) => serializeRegistry(registry, format),
    close() {
      if (!closed) {
        closed = true;
        // Requests that ended in this turn are recorded before the subscription goes.
        publishEndedRuns();
        for (const stop of [...removers]) stop();
        catalog.release();
      }
      return Promise.resolve();
    },
  };
}
