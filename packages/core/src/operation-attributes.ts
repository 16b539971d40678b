import type { ContextInit } from './context.js';

/**
 * Attributes of `order.execution`, `strategy.execution`, `market_data.processing` and
 * `risk.check` runs: the trading fields and a correlation ID. A misspelled field in an object
 * literal (`strategyID`) is a compile error; an object built elsewhere may carry more fields,
 * which every signal ignores.
 */
export interface TradingRunAttributes extends ContextInit {}

/** Attributes of a `broker.api_call` run: trading fields plus the HTTP call's description. */
export interface BrokerApiCallAttributes extends ContextInit {
  /** HTTP method of the call (`POST`). */
  method?: string;
  /** URL called; query strings and credentials in it are redacted on spans. */
  url?: string;
  /** Logical endpoint name (`orders.create`), a bounded span attribute. */
  endpoint?: string;
  /** Status the broker answered, when known (set it with `scope.setAttributes`). */
  statusCode?: number;
}

/** Incoming request headers as Node gives them (lower-case names). */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Attributes of an `http.server.request` run, set by the HTTP adapters (`@jts/http`,
 * `@jts/express`, `@jts/nestjs`): what arrives with the request at its start, and what the
 * adapter learns later (`route` once routed, `statusCode` and `responseBytes` once answered)
 * through `scope.setAttributes`.
 */
export interface HttpServerRequestAttributes extends ContextInit {
  /** Request method as received. */
  method?: string;
  /** Route template (`/orders/:id`), never the raw URL. Unmatched requests share one template. */
  route?: string;
  /** Request target (path and query). */
  url?: string;
  /** `http` or `https`. */
  scheme?: string;
  /** Request headers: `traceparent`, `tracestate` and `baggage` are read from them. */
  headers?: RequestHeaders;
  /** Status the client saw. */
  statusCode?: number;
  /** Bytes of the request body received. */
  requestBytes?: number;
  /** Bytes of the response body sent. */
  responseBytes?: number;
}

/** The attribute type of each built-in operation. */
export interface OperationAttributeTypes {
  'order.execution': TradingRunAttributes;
  'strategy.execution': TradingRunAttributes;
  'market_data.processing': TradingRunAttributes;
  'broker.api_call': BrokerApiCallAttributes;
  'risk.check': TradingRunAttributes;
  'http.server.request': HttpServerRequestAttributes;
}
