import {
  type BrokerApiCallAttributes,
  type OperationScope,
  type TradingRunAttributes,
  brokerApiCall,
  marketDataProcessing,
  orderExecution,
  strategyExecution,
} from '@jts/core';
import { injectTraceHeaders } from './inject-trace-headers.js';

/**
 * Runs `fn` (sync or async) as an `order.execution` span: the `@jts/core` operation, so logs,
 * metrics and audit see the same run. Returns what `fn` returns; never changes it.
 *
 * @param attributes - trading fields (`orderId`, `symbol`, `side`, ...) and extra attributes
 * @param fn - the work; receives the scope for `setOutcome`
 * @returns what `fn` returns (or its promise)
 * @example
 * await traceOrderExecution({ orderId, symbol: 'AAPL', side: 'buy' }, () => broker.submit(order));
 */
export function traceOrderExecution<R>(attributes: TradingRunAttributes, fn: (scope: OperationScope<TradingRunAttributes>) => R): R {
  return orderExecution.run(attributes, fn);
}

/**
 * Runs `fn` as a `strategy.execution` span.
 *
 * @param attributes - `strategyId` and other trading fields
 * @param fn - the work
 * @returns what `fn` returns
 * @example
 * traceStrategyExecution({ strategyId: 'mm-1' }, () => strategy.evaluate(tick));
 */
export function traceStrategyExecution<R>(attributes: TradingRunAttributes, fn: (scope: OperationScope<TradingRunAttributes>) => R): R {
  return strategyExecution.run(attributes, fn);
}

/**
 * Runs `fn` as a `market_data.processing` span (sampled at 0.1% by default).
 *
 * @param attributes - `symbol`, `exchange`, ...
 * @param fn - the work
 * @returns what `fn` returns
 * @example
 * traceMarketDataProcessing({ symbol: 'BTC-USD', exchange: 'binance' }, () => book.apply(update));
 */
export function traceMarketDataProcessing<R>(attributes: TradingRunAttributes, fn: (scope: OperationScope<TradingRunAttributes>) => R): R {
  return marketDataProcessing.run(attributes, fn);
}

/**
 * Runs `fn` as a `broker.api_call` CLIENT span and hands it the headers to send: `traceparent`,
 * `tracestate`, `baggage` and `x-correlation-id` of that span. Give `method` and `url` for the
 * HTTP attributes and set `statusCode` on the attributes (or call `setOutcome`) when known.
 *
 * @param attributes - `broker`, `method`, `url`, `endpoint` and trading fields
 * @param fn - the call; receives the headers and the scope
 * @returns what `fn` returns
 * @example
 * await traceBrokerApiCall({ broker: 'ibkr', method: 'POST', url }, (headers) => fetch(url, { method: 'POST', headers }));
 */
export function traceBrokerApiCall<R>(
  attributes: BrokerApiCallAttributes,
  fn: (headers: Record<string, string>, scope: OperationScope<BrokerApiCallAttributes>) => R,
): R {
  return brokerApiCall.run(attributes, (scope) => fn(injectTraceHeaders({} as Record<string, string>), scope));
}
