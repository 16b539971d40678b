import { httpOutcomeOf, outcomeClassOf } from '@jts/core';
import type { LabelValue } from './catalog-types.js';
import { checkLabelKeys, type Engine, recordValue } from './internal/engine.js';

/** Labels of an order execution: the five order labels plus outcome. */
export interface OrderExecutionLabels {
  readonly strategyId?: LabelValue;
  readonly symbol?: LabelValue;
  readonly exchange?: LabelValue;
  readonly side?: LabelValue;
  readonly orderType?: LabelValue;
  /** Outcome: `filled`, `rejected`, `error`, ... Default `success` (or `error` when `errorType` is set). */
  readonly status?: LabelValue;
  /** Failure classifier; when set, `order_execution_errors_total` is incremented too. */
  readonly errorType?: LabelValue;
}

/** The typed recorders of the trading catalog. */
export interface TradingRecorders {
  /** Observes `order_execution_duration_seconds` and counts `order_execution_total` (and `_errors_total` on failure). */
  recordOrderExecution(labels: OrderExecutionLabels, seconds: number): void;
  /** Counts `market_data_updates_total` and, when given, observes `market_data_latency_seconds`. */
  recordMarketDataUpdate(
    labels: { readonly symbol?: LabelValue; readonly exchange?: LabelValue },
    latencySeconds?: number,
  ): void;
  /** Counts `risk_violations_total`. */
  recordRiskViolation(labels: { readonly strategyId?: LabelValue; readonly violationType?: LabelValue }): void;
  /** Observes `api_request_duration_seconds` (use the route template, never the raw URL). */
  recordApiRequest(
    labels: {
      readonly method?: LabelValue;
      readonly route?: LabelValue;
      readonly statusCode?: LabelValue;
      readonly outcome?: LabelValue;
    },
    seconds: number,
  ): void;
  /** Sets `strategy_pnl` (account currency). */
  setStrategyPnl(labels: { readonly strategyId?: LabelValue }, value: number): void;
  /** Sets `strategy_drawdown_current` (percent, 0-100). */
  setStrategyDrawdown(labels: { readonly strategyId?: LabelValue }, percent: number): void;
  /** Sets `strategy_win_rate` (ratio, 0-1). */
  setStrategyWinRate(labels: { readonly strategyId?: LabelValue }, ratio: number): void;
  /** Sets `portfolio_exposure` (account currency). */
  setPortfolioExposure(labels: { readonly strategyId?: LabelValue; readonly symbol?: LabelValue }, value: number): void;
  /** Sets `database_connection_pool_active` and `database_connection_pool_max`. */
  setDatabasePool(
    labels: { readonly pool?: LabelValue },
    sizes: { readonly active: number; readonly max: number },
  ): void;
}

const ORDER_KEYS = new Set(['strategyId', 'symbol', 'exchange', 'side', 'orderType', 'status', 'errorType']);

/**
 * Builds the recorders on an engine. Each resolves its series through the family's nested maps
 * (a known label set costs one `Map.get` per label) and reads the active span once per call.
 *
 * @internal
 */
export function createTradingRecorders(engine: Engine): TradingRecorders {
  const durations = engine.family('order_execution_duration_seconds');
  const executions = engine.family('order_execution_total');
  const errors = engine.family('order_execution_errors_total');
  executions.defaults[executions.labelNames.indexOf('status')] = 'success';
  errors.defaults[errors.labelNames.indexOf('error_type')] = 'unknown';
  const span = () => (engine.readSpan === undefined ? undefined : engine.readSpan());

  const gauge = (name: string) => {
    const family = engine.family(name);
    const allowed = new Set(family.labelKeys);
    return (labels: object, value: number) => {
      if (engine.strict) checkLabelKeys(engine, name, labels, allowed);
      recordValue(engine, family, labels, value, 'set', undefined);
    };
  };
  const histogram = (name: string) => {
    const family = engine.family(name);
    const allowed = new Set(family.labelKeys);
    return (labels: object, value: number, ids = span()) => {
      if (engine.strict) checkLabelKeys(engine, name, labels, allowed);
      return recordValue(engine, family, labels, value, 'observe', ids);
    };
  };
  const counter = (name: string, allowed = new Set(engine.family(name).labelKeys)) => {
    const family = engine.family(name);
    return (labels: object, ids = span()) => {
      if (engine.strict) checkLabelKeys(engine, name, labels, allowed);
      family.increment(family.resolve(labels as Record<string, unknown>), 1, ids);
    };
  };
  const updates = counter('market_data_updates_total');
  const marketLatency = histogram('market_data_latency_seconds');
  const apiRequests = histogram('api_request_duration_seconds');
  const setPoolActive = gauge('database_connection_pool_active');
  const setPoolMax = gauge('database_connection_pool_max');

  return {
    recordOrderExecution(labels, seconds) {
      if (engine.strict) checkLabelKeys(engine, 'order_execution_total', labels, ORDER_KEYS);
      const ids = span();
      // An invalid duration is rejected (or counted) under the histogram; the outcome is still counted.
      recordValue(engine, durations, labels, seconds, 'observe', ids);
      // The one mapping of @jts/core: only an error-class outcome counts as an error.
      const failed =
        labels.errorType !== undefined &&
        (labels.status === undefined || outcomeClassOf(String(labels.status)) === 'error');
      const outcome = failed && labels.status === undefined ? { ...labels, status: 'error' } : labels;
      executions.increment(executions.resolve(outcome as Record<string, unknown>), 1, ids);
      if (failed) errors.increment(errors.resolve(labels as Record<string, unknown>), 1, ids);
    },
    recordMarketDataUpdate(labels, latencySeconds) {
      const ids = span();
      updates(labels, ids);
      if (latencySeconds !== undefined) marketLatency(labels, latencySeconds, ids);
    },
    recordRiskViolation: counter('risk_violations_total'),
    recordApiRequest(labels, seconds) {
      // The outcome follows the status code, as core decides it for http.server.request runs.
      const outcome =
        labels.outcome ?? (typeof labels.statusCode === 'number' ? httpOutcomeOf(labels.statusCode) : undefined);
      apiRequests(outcome === labels.outcome ? labels : { ...labels, outcome }, seconds);
    },
    setStrategyPnl: gauge('strategy_pnl'),
    setStrategyDrawdown: gauge('strategy_drawdown_current'),
    setStrategyWinRate: gauge('strategy_win_rate'),
    setPortfolioExposure: gauge('portfolio_exposure'),
    setDatabasePool(labels, sizes) {
      setPoolActive(labels, sizes.active);
      setPoolMax(labels, sizes.max);
    },
  };
}
