import { type FinishedRun, type OperationName, OPERATION_NAMES, OUTCOME_SIGNALS, subscribeRuns } from '@jts/core';
import type { Engine } from './engine.js';
import type { ActiveSpanIds } from './exemplar-source.js';

type Recorder = (run: FinishedRun, seconds: number, span: ActiveSpanIds | undefined) => void;
type Labels = Record<string, unknown>;
/** Writes a recorder's own label values into `values` (label order), from the run. */
type Fill = (values: unknown[], run: FinishedRun) => void;
/** Given `at` (a label key's index, claiming that label), the recorder's own labels. */
type OwnLabels = (at: (key: string) => number) => Fill;

/**
 * The label values of one catalog family for a run, in label order, in one array per recorder
 * (resolution is synchronous and keys on values only, so no labels object is written per run):
 * the `status` label is the verdict's outcome, labels `own` claims are its own, and every other
 * label is the trading field of the same key.
 */
function labelValues(keys: readonly string[], own: OwnLabels | undefined): (run: FinishedRun) => unknown[] {
  const claimed = new Set<number>();
  const at = (key: string) => {
    const index = keys.indexOf(key);
    claimed.add(index);
    return index;
  };
  const status = at('status');
  const fill = own?.(at);
  const fromFields = keys.flatMap((_key, index) => (claimed.has(index) ? [] : [index]));
  const values: unknown[] = keys.map(() => undefined);
  return (run) => {
    const fields = run.context.fields as Labels;
    for (const index of fromFields) values[index] = fields[keys[index]!];
    if (status >= 0) values[status] = run.verdict.outcome;
    fill?.(values, run);
    return values;
  };
}

/**
 * Recorders per operation, from the verdict core computed: the `status` label is the outcome,
 * error counters move only for the error class (`OUTCOME_SIGNALS[class].countsAsError`), and the
 * duration is the verdict's. Trading labels come straight from `run.context.fields` (computed once
 * per context): the catalog's label keys are the camelCase forms of `TRADING_CONVENTIONS` metric
 * labels, and no catalog metric has an order, account or user label.
 */
function recorders(engine: Engine): Record<OperationName, Recorder> {
  const durationOf = (name: string, own?: OwnLabels): Recorder => {
    const target = engine.family(name);
    const valuesOf = labelValues(target.labelKeys, own);
    return (run, seconds, span) => target.observe(target.resolveValues(valuesOf(run)), seconds, span);
  };
  const count = (name: string, own?: OwnLabels) => {
    const target = engine.family(name);
    const valuesOf = labelValues(target.labelKeys, own);
    return (run: FinishedRun, span: ActiveSpanIds | undefined) =>
      target.increment(target.resolveValues(valuesOf(run)), 1, span);
  };
  const orderDuration = durationOf('order_execution_duration_seconds');
  const orderCount = count('order_execution_total');
  const orderErrors = count('order_execution_errors_total', (at) => {
    const errorType = at('errorType');
    return (values, run) => {
      values[errorType] = run.verdict.errorType ?? run.verdict.outcome;
    };
  });
  const marketDuration = durationOf('market_data_processing_duration_seconds');
  const marketUpdates = count('market_data_updates_total');
  return {
    'order.execution': (run, seconds, span) => {
      orderDuration(run, seconds, span);
      orderCount(run, span);
      if (OUTCOME_SIGNALS[run.verdict.outcomeClass].countsAsError) orderErrors(run, span);
    },
    'strategy.execution': durationOf('strategy_execution_duration_seconds'),
    'risk.check': durationOf('risk_check_duration_seconds'),
    'market_data.processing': (run, seconds, span) => {
      marketDuration(run, seconds, span);
      marketUpdates(run, span);
    },
    'broker.api_call': durationOf('broker_api_call_duration_seconds', (at) => {
      const broker = at('broker');
      return (values, run) => {
        values[broker] = (run.context.fields as Labels).broker ?? run.attribute('broker');
      };
    }),
    // Every label of a request comes from the request, none from the trading fields.
    'http.server.request': durationOf('api_request_duration_seconds', (at) => {
      const [method, route, statusCode, outcome] = [at('method'), at('route'), at('statusCode'), at('outcome')];
      return (values, run) => {
        const given = run.attribute('method');
        const template = run.attribute('route');
        const status = run.attribute('statusCode');
        values[method] = typeof given === 'string' ? given.toUpperCase() : 'UNKNOWN';
        // Route templates only: a raw URL would explode cardinality (and may carry IDs).
        values[route] = typeof template === 'string' && template !== '' ? template : 'unmatched';
        // No status when the client never got one (aborted before the headers, or closed out by a timeout).
        values[statusCode] = typeof status === 'number' ? status : 'none';
        values[outcome] = run.verdict.outcome;
      };
    }),
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
