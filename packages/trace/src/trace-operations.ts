import { type BrokerApiCallAttributes, type OperationScope, brokerApiCall } from '@jts/core';
import { injectTraceHeaders } from './inject-trace-headers.js';

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
