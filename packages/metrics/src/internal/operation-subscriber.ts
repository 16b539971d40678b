import { type FinishedRun, type OperationName, OPERATION_NAMES, OUTCOME_SIGNALS, subscribeRuns } from '@jts/core';
import type { Engine } from './engine.js';
import type { ActiveSpanIds } from './exemplar-source.js';

type Recorder = (run: FinishedRun, seconds: number, span: ActiveSpanIds | undefined) => void;
type Labels = Record<string, unknown>;

/**
 * Recorders per operation, from the verdict core computed: the `status` label is the outcome,
 * error counters move only for the error class (`OUTCOME_SIGNALS[class].countsAsError`), and the
 * duration is the verdict's. Trading labels come straight from `run.context.fields` (computed once
 * per context): the catalog's label keys are the camelCase forms of `TRADING_CONVENTIONS` metric
 * labels, and no catalog metric has an order, account or user label.
 */
function recorders(engine: Engine): Record<OperationName, Recorder> {
  const durationOf = (name: string, extra?: (labels: Labels, run: FinishedRun) => void) => {
    const target = engine.family(name);
    // One scratch labels object per recorder: resolution is synchronous and keys on values only.
    const scratch: Labels = {};
    return (run: FinishedRun, seconds: number, span: ActiveSpanIds | undefined) => {
      const fields = run.context.fields as Labels;
      for (const key of target.labelKeys) scratch[key] = fields[key];
      scratch.status = run.verdict.outcome;
      extra?.(scratch, run);
      target.observe(target.resolve(scratch), seconds, span);
    };
  };
  const count = (name: string) => {
    const target = engine.family(name);
    const scratch: Labels = {};
    return (run: FinishedRun, overrides: Labels, span: ActiveSpanIds | undefined) => {
      const fields = run.context.fields as Labels;
      for (const key of target.labelKeys) scratch[key] = fields[key];
      Object.assign(scratch, overrides);
      target.increment(target.resolve(scratch), 1, span);
    };
  };
  // Every label of `api_request_duration_seconds` comes from the request, none from the trading
  // fields: the values go straight into one array in label order (no labels object to copy into,
  // whose keyed stores cost more than the lookup itself).
  const requestDuration = (): Recorder => {
    const target = engine.family('api_request_duration_seconds');
    const keys = target.labelKeys;
    const [method, route, statusCode, outcome] = ['method', 'route', 'statusCode', 'outcome'].map((key) =>
      keys.indexOf(key),
    ) as [number, number, number, number];
    const values: unknown[] = keys.map(() => undefined);
    return (run, seconds, span) => {
      const given = run.attribute('method');
      const template = run.attribute('route');
      const status = run.attribute('statusCode');
      values[method] = typeof given === 'string' ? given.toUpperCase() : 'UNKNOWN';
      // Route templates only: a raw URL would explode cardinality (and may carry IDs).
      values[route] = typeof template === 'string' && template !== '' ? template : 'unmatched';
      // No status when the client never got one (aborted before the headers, or closed out by a timeout).
      values[statusCode] = typeof status === 'number' ? status : 'none';
      values[outcome] = run.verdict.outcome;
      target.observe(target.resolveValues(values), seconds, span);
    };
  };
  const orderDuration = durationOf('order_execution_duration_seconds');
  const orderCount = count('order_execution_total');
  const orderErrors = count('order_execution_errors_total');
  const marketDuration = durationOf('market_data_processing_duration_seconds');
  const marketUpdates = count('market_data_updates_total');
  return {
    'order.execution': (run, seconds, span) => {
      orderDuration(run, seconds, span);
      const verdict = run.verdict;
      orderCount(run, { status: verdict.outcome }, span);
      if (OUTCOME_SIGNALS[verdict.outcomeClass].countsAsError)
        orderErrors(run, { errorType: verdict.errorType ?? verdict.outcome }, span);
    },
    'strategy.execution': durationOf('strategy_execution_duration_seconds'),
    'risk.check': durationOf('risk_check_duration_seconds'),
    'market_data.processing': (run, seconds, span) => {
      marketDuration(run, seconds, span);
      marketUpdates(run, {}, span);
    },
    'broker.api_call': durationOf('broker_api_call_duration_seconds', (labels, run) => {
      labels.broker ??= run.attribute('broker');
    }),
    'http.server.request': requestDuration(),
  };
}

/**
 * Subscribes to the `@jts/core` operations (through `subscribeRuns`) and measures every run with
 * the duration and outcome core computed once.
 *
 * @param engine - the families and guards
 * @param names - operations to measure; default all six
 * @returns a function that removes every subscription
 * @internal
 */
export function subscribeOperations(engine: Engine, names: readonly OperationName[] = OPERATION_NAMES): () => void {
  const byOperation = recorders(engine);
  return subscribeRuns({
    source: 'metrics',
    operations: names,
    // The active span is read once per run: every series of the run gets the same exemplar.
    finish: (run) => byOperation[run.operation](run, run.verdict.durationMs / 1000, engine.readSpan?.()),
  });
}
