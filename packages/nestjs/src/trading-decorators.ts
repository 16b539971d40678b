import { JtsError, type OperationName, type TradingRunAttributes, operations } from '@jts/core';
import { wrapMethod } from './internal/wrap-method.js';

/** The operations a service method can run as (the HTTP one belongs to the adapters). */
export type TracedOperation = Exclude<OperationName, 'http.server.request'>;

/** Trading fields of a run: fixed, or read from the method's arguments. */
export type RunAttributes<Args extends unknown[] = never[]> =
  | TradingRunAttributes
  | ((...args: Args) => TradingRunAttributes | undefined);

function attributesOf(attributes: RunAttributes<unknown[]> | undefined, args: unknown[]): TradingRunAttributes {
  if (typeof attributes !== 'function') return attributes ?? {};
  try {
    const value = attributes(...args);
    return value !== null && typeof value === 'object' ? value : {};
  } catch {
    return {}; // A faulty attribute function loses the fields, never the call.
  }
}

function traced(
  decorator: string,
  operation: TracedOperation,
  attributes: RunAttributes<unknown[]> | undefined,
): MethodDecorator {
  const run = operations[operation];
  if (run === undefined || operation === ('http.server.request' as string)) {
    throw new JtsError(
      'JTS_ERR_INVALID_ARGUMENT',
      `@${decorator}(): ${JSON.stringify(operation)} is not a trading operation (${Object.keys(operations)
        .filter((name) => name !== 'http.server.request')
        .join(', ')})`,
    );
  }
  return (_target, _key, descriptor) =>
    wrapMethod(
      decorator,
      descriptor,
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          return run.run(attributesOf(attributes, args), () => original.apply(this, args));
        },
    );
}

/**
 * Runs each call of a service method as an `order.execution` run: one span, one duration sample,
 * the completion line, trading fields on every line inside. Keeps the method's result, error and
 * metadata (any decorator order).
 *
 * @param attributes - trading fields, or a function of the method's arguments returning them
 * @returns the method decorator
 * @example
 * @TraceOrder((order: Order) => ({ orderId: order.id, symbol: order.symbol, side: order.side }))
 * async submit(order: Order) { return this.broker.send(order); }
 */
export function TraceOrder<Args extends unknown[] = never[]>(attributes?: RunAttributes<Args>): MethodDecorator {
  return traced('TraceOrder', 'order.execution', attributes as RunAttributes<unknown[]>);
}

/**
 * Runs each call of a service method as a `strategy.execution` run.
 *
 * @param attributes - trading fields, or a function of the method's arguments returning them
 * @returns the method decorator
 * @example
 * @TraceStrategy({ strategyId: 'mean-reversion' })
 * evaluate(tick: Tick) {}
 */
export function TraceStrategy<Args extends unknown[] = never[]>(attributes?: RunAttributes<Args>): MethodDecorator {
  return traced('TraceStrategy', 'strategy.execution', attributes as RunAttributes<unknown[]>);
}

/**
 * Runs each call of a service method as a run of any trading operation (`risk.check`,
 * `broker.api_call`, `market_data.processing`, ...).
 *
 * @param operation - the operation
 * @param attributes - trading fields, or a function of the method's arguments returning them
 * @returns the method decorator
 * @throws JtsError `JTS_ERR_INVALID_ARGUMENT` for an unknown operation or `http.server.request`
 * @example
 * @Traced('risk.check', (order: Order) => ({ symbol: order.symbol, accountId: order.account }))
 * check(order: Order) {}
 */
export function Traced<Args extends unknown[] = never[]>(
  operation: TracedOperation,
  attributes?: RunAttributes<Args>,
): MethodDecorator {
  return traced('Traced', operation, attributes as RunAttributes<unknown[]>);
}
