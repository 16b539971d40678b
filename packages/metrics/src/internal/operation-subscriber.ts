import { type OperationMessage, type OperationName, operations, reportDiagnostic } from '@jts/core';
import type { Engine } from './engine.js';

type Recorder = (message: OperationMessage, seconds: number) => void;

/**
 * Recorders per operation. Trading labels come straight from `message.context.fields` (frozen,
 * computed once per context): the catalog's label keys are the camelCase forms of
 * `TRADING_CONVENTIONS` metric labels, and no catalog metric has an order, account or user label.
 */
function recorders(engine: Engine): Partial<Record<OperationName, Recorder>> {
  const family = (name: string) => engine.family(name);
  const durationOf = (name: string) => {
    const target = family(name);
    // One scratch labels object per recorder: resolution is synchronous and keys on values only.
    const scratch: Record<string, unknown> = {};
    return (message: OperationMessage, seconds: number, extra?: (labels: Record<string, unknown>) => void) => {
      const fields = message.context.fields as Record<string, unknown>;
      for (const key of target.labelKeys) scratch[key] = fields[key];
      scratch.status = message.status ?? 'success';
      extra?.(scratch);
      target.observe(target.resolve(scratch), seconds, engine.readSpan?.());
    };
  };
  const count = (name: string) => {
    const target = family(name);
    const scratch: Record<string, unknown> = {};
    return (fields: Record<string, unknown>, overrides: Record<string, unknown>) => {
      for (const key of target.labelKeys) scratch[key] = fields[key];
      Object.assign(scratch, overrides);
      target.increment(target.resolve(scratch), 1, engine.readSpan?.());
    };
  };
  const orderDuration = durationOf('order_execution_duration_seconds');
  const orderCount = count('order_execution_total');
  const orderErrors = count('order_execution_errors_total');
  const marketDuration = durationOf('market_data_processing_duration_seconds');
  const marketUpdates = count('market_data_updates_total');
  const brokerDuration = durationOf('broker_api_call_duration_seconds');
  const httpDuration = durationOf('api_request_duration_seconds');
  return {
    'order.execution': (message, seconds) => {
      orderDuration(message, seconds);
      const fields = message.context.fields as Record<string, unknown>;
      orderCount(fields, { status: message.status ?? 'success' });
      if (message.status === 'error' || message.errorType !== undefined) orderErrors(fields, { errorType: message.errorType ?? 'unknown' });
    },
    'strategy.execution': durationOf('strategy_execution_duration_seconds'),
    'risk.check': durationOf('risk_check_duration_seconds'),
    'market_data.processing': (message, seconds) => {
      marketDuration(message, seconds);
      marketUpdates(message.context.fields as Record<string, unknown>, {});
    },
    'broker.api_call': (message, seconds) =>
      brokerDuration(message, seconds, (labels) => {
        labels.broker ??= message.attributes.broker;
      }),
    'http.server.request': (message, seconds) =>
      httpDuration(message, seconds, (labels) => {
        const { method, route, statusCode } = message.attributes;
        labels.method = typeof method === 'string' ? method.toUpperCase() : 'UNKNOWN';
        // Route templates only: a raw URL would explode cardinality (and may carry IDs).
        labels.route = typeof route === 'string' && route !== '' ? route : 'unmatched';
        labels.statusCode = typeof statusCode === 'number' ? statusCode : message.status === 'error' ? 500 : 'unknown';
      }),
  };
}

/**
 * Subscribes to the `@jts/core` operation channels and measures every run: duration from
 * `start` to `end` (sync) or `asyncEnd` (promises), status and error type from the message.
 *
 * @returns a function that removes every subscription
 * @internal
 */
export function subscribeOperations(engine: Engine): () => void {
  const started = Symbol('jts.metrics.started');
  const byOperation = recorders(engine);
  const undo: (() => void)[] = [];
  for (const [name, record] of Object.entries(byOperation) as [OperationName, Recorder][]) {
    const finish = (message: OperationMessage) => {
      const start = message[started] as number | undefined;
      if (start === undefined) return;
      message[started] = undefined;
      try {
        record(message, (performance.now() - start) / 1000);
      } catch (error) {
        // A subscriber that throws would surface as an uncaught exception: never let it.
        reportDiagnostic({ source: 'metrics', event: 'operation_record_failed', message: `recording ${name} failed`, error });
      }
    };
    const handlers = {
      start: (message: OperationMessage) => {
        message[started] = performance.now();
      },
      // `async` is set before `end`: a synchronous run ends here, a promise's run at `asyncEnd`.
      end: (message: OperationMessage) => {
        if (message.async === false) finish(message);
      },
      asyncStart: () => {},
      asyncEnd: finish,
      error: () => {},
    };
    const channel = operations[name].channel;
    channel.subscribe(handlers);
    undo.push(() => channel.unsubscribe(handlers));
  }
  return () => {
    for (const remove of undo.splice(0)) remove();
  };
}
