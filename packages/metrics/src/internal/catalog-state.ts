import { correlationIdStats, createRedactor, JtsError, runSubscriberStats } from '@jts/core';
import { publishEndedRuns } from '@jts/core/internal';
import type { Registry } from 'prom-client';
import { METRIC_CATALOG } from '../catalog.js';
import type { ResolvedMetricsOptions } from '../options.js';
import { createTradingRecorders, type TradingRecorders } from '../trading-recorders.js';
import type { Engine } from './engine.js';
import { createSpanReader } from './exemplar-source.js';
import { createLabelSanitizer } from './label-sanitizer.js';
import { createObservationGuard, type InvalidReason } from './observation-guard.js';
import { subscribeOperations } from './operation-subscriber.js';
import { RegisteredFamily } from './registered-family.js';
import { SeriesFamily } from './series-family.js';
import { catalogStatsFeeds, createStatsUpdater } from './stats-collectors.js';

/**
 * The trading metrics of one registry: families, engine, operation subscription and stats
 * collectors, shared by every `createTradingMetrics` on that registry until the last one closes.
 *
 * @internal
 */
export interface CatalogState {
  readonly engine: Engine;
  readonly recorders: TradingRecorders;
  /** The settings it was built with; another instance on the registry must resolve to the same. */
  readonly options: ResolvedMetricsOptions;
  /** Runs `collector` before `metric` is read (scrape time); returns its remover. */
  addCollector(metric: string, collector: () => void): () => void;
  /** One instance stops using it; the last one unsubscribes and unregisters the families. */
  release(): void;
}

interface SharedCatalog extends CatalogState {
  users: number;
  readonly registered: readonly RegisteredFamily[];
  /** Unsubscribes and unregisters now, whoever still holds it. */
  dispose(): void;
}

const states = new WeakMap<Registry, SharedCatalog>();

function build(registry: Registry, options: ResolvedMetricsOptions) {
  const redactor = createRedactor(options.redaction);
  const families = new Map<string, SeriesFamily>();
  const family = (name: string) => {
    const found = families.get(name);
    if (found === undefined)
      throw new JtsError(
        'JTS_ERR_INVALID_ARGUMENT',
        `Unknown metric ${JSON.stringify(name)}: it is not in the catalog`,
      );
    return found;
  };
  let countInvalid = (_metric: string, _reason: InvalidReason) => {};
  const invalid = createObservationGuard(options.strict, (metric, reason) => countInvalid(metric, reason));
  const context = {
    sanitize: createLabelSanitizer(options.maxLabelValueLength, redactor),
    maxSeries: options.maxSeriesPerMetric,
    maxLabelValueLength: options.maxLabelValueLength,
    onLabelProblem: (metric: string, problem: InvalidReason, label: string) =>
      invalid(metric, problem, `label ${label}`),
    onOverflow: (metric: string) => overflowCounter.increment(overflowCounter.resolve({ metric }), 1, undefined),
  };
  // Self-metrics are labelled with our own bounded values (metric names, reasons, outcomes): no cap,
  // no redaction, and no length limit that could recurse into reporting itself.
  const selfContext = {
    ...context,
    sanitize: createLabelSanitizer(256),
    maxLabelValueLength: 256,
    maxSeries: Number.POSITIVE_INFINITY,
  };
  for (const definition of METRIC_CATALOG)
    families.set(definition.name, new SeriesFamily(definition, definition.group === 'self' ? selfContext : context));
  const overflowCounter = family('jts_metrics_series_overflow_total');
  const invalidCounter = family('jts_metrics_invalid_observations_total');
  countInvalid = (metric, reason) => invalidCounter.increment(invalidCounter.resolve({ metric, reason }), 1, undefined);
  const engine: Engine = {
    families,
    invalid,
    strict: options.strict,
    readSpan: options.exemplars ? createSpanReader() : undefined,
    family,
  };

  const collectors = new Map<string, Set<() => void>>();
  const addCollector = (name: string, collector: () => void) => {
    let set = collectors.get(name);
    if (set === undefined) collectors.set(name, (set = new Set()));
    set.add(collector);
    return () => void set.delete(collector);
  };
  const seriesGauge = family('jts_metrics_series');
  addCollector('jts_metrics_series', () => {
    // Stats-fed families create their series when collected: collect them first so the count
    // does not depend on the order in which the registry lists families.
    for (const [name, set] of collectors) if (name !== 'jts_metrics_series') for (const collector of set) collector();
    for (const [name, item] of families)
      if (item !== seriesGauge) seriesGauge.resolve({ metric: name }).value = item.size;
  });
  for (const feed of catalogStatsFeeds('core'))
    addCollector(feed.metric, createStatsUpdater(family(feed.metric), feed.path, correlationIdStats, 'core'));
  for (const feed of catalogStatsFeeds('runs'))
    addCollector(feed.metric, createStatsUpdater(family(feed.metric), feed.path, runSubscriberStats, 'runs'));

  const registered: RegisteredFamily[] = [];
  try {
    for (const item of families.values()) {
      const metric = new RegisteredFamily(item, registry, () => {
        // A scrape in the turn a request ended sees it (core's endWithTurn publishes at the turn's end).
        publishEndedRuns();
        for (const collector of collectors.get(item.name) ?? []) collector();
      });
      registry.registerMetric(metric as never);
      registered.push(metric);
    }
  } catch (error) {
    for (const metric of registered) registry.removeSingleMetric(metric.name);
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      `Invalid option registry: it already holds a metric of the catalog that these trading metrics did not register (${(error as Error).message}); remove it, or pass another registry`,
      { cause: error },
    );
  }
  const unsubscribe = options.operations === false ? () => {} : subscribeOperations(engine, options.operations);
  return { engine, recorders: createTradingRecorders(engine), options, addCollector, registered, unsubscribe };
}

/** Settings that shape the shared families and subscription, with the variable that sets each. */
const SHARED: readonly (readonly [keyof ResolvedMetricsOptions, string | undefined])[] = [
  ['maxSeriesPerMetric', 'JTS_METRICS_MAX_SERIES'],
  ['maxLabelValueLength', 'JTS_METRICS_MAX_LABEL_LENGTH'],
  ['strict', 'JTS_METRICS_STRICT'],
  ['exemplars', 'JTS_METRICS_EXEMPLARS'],
  ['operations', 'JTS_METRICS_OPERATIONS'],
  ['redaction', undefined],
];

function same(name: keyof ResolvedMetricsOptions, left: unknown, right: unknown): boolean {
  if (name !== 'operations' || !Array.isArray(left) || !Array.isArray(right)) return left === right;
  return left.length === right.length && left.every((item) => right.includes(item));
}

function checkSameSettings(existing: ResolvedMetricsOptions, wanted: ResolvedMetricsOptions): void {
  for (const [name, env] of SHARED) {
    if (same(name, existing[name], wanted[name])) continue;
    const shown = name === 'redaction' ? 'another policy object' : JSON.stringify(existing[name]);
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      `Invalid option ${name}: this registry already holds the trading metrics of a createTradingMetrics that is not closed, with ${name} ${shown}; pass the same value${env ? ` (or set ${env})` : ''}, close() the other first, or pass another registry`,
    );
  }
}

/**
 * The catalog of a registry: the one already there (same settings required), or a new one.
 *
 * @throws JtsError `JTS_ERR_INVALID_OPTION` when the settings differ, or a catalog name is taken by a foreign metric
 * @internal
 */
export function acquireCatalog(registry: Registry, options: ResolvedMetricsOptions): CatalogState {
  const existing = states.get(registry);
  // Reused only while its families are still in the registry (registry.clear() drops them).
  if (
    existing !== undefined &&
    registry.getSingleMetric(existing.registered[0]!.name) === (existing.registered[0] as never)
  ) {
    checkSameSettings(existing.options, options);
    existing.users++;
    return existing;
  }
  // Its families were removed by hand: stop its subscription before building anew.
  existing?.dispose();
  const built = build(registry, options);
  const state = {
    ...built,
    users: 1,
    release() {
      if (state.users > 0 && --state.users === 0) state.dispose();
    },
    dispose() {
      state.users = 0;
      built.unsubscribe();
      for (const metric of built.registered)
        if (registry.getSingleMetric(metric.name) === (metric as never)) registry.removeSingleMetric(metric.name);
      if (states.get(registry) === state) states.delete(registry);
    },
  };
  states.set(registry, state);
  return state;
}
