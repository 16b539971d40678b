import type { IncomingMessage, ServerResponse } from 'node:http';
import { JtsError } from '@jts/core';
import type { NextFunction, RequestHandler } from './express-types.js';

/** What `metricsHandler(...)` of `@jts/metrics` returns: it answers scrapes, with its auth, gzip and content negotiation. */
export type MetricsRequestHandlerLike = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: NextFunction,
) => void;

/** Options of {@link metricsRoute}. */
export interface MetricsRouteOptions {
  /** Path the scrape endpoint answers on, below where the route is mounted. Default `/metrics` (excluded from the signals by default). */
  readonly path?: string;
}

/**
 * Mounts the `/metrics` scrape endpoint: requests for `path` (any method: the handler answers 405
 * to all but GET and HEAD) go to the `@jts/metrics` handler, with the auth you gave it
 * (`auth: { bearerToken }` or `{ username, password }`, or `JTS_METRICS_BEARER_TOKEN` /
 * `JTS_METRICS_BASIC_AUTH`); every other request goes on. Auth, gzip and OpenMetrics stay in
 * `@jts/metrics`, so they have one implementation. A path other than `/metrics` must be added to
 * the middleware's `exclude` to keep scrapes out of the signals.
 *
 * @param handler - `metricsHandler({ registry: metrics.registry, auth })` from `@jts/metrics`
 * @param options - see {@link MetricsRouteOptions}
 * @returns the middleware
 * @throws JtsError `JTS_ERR_INVALID_OPTION` when `handler` is not a function or `path` does not start with `/`
 * @example
 * app.use(metricsRoute(metricsHandler({ registry: metrics.registry, auth: { bearerToken: process.env.SCRAPE_TOKEN! } })));
 */
export function metricsRoute(handler: MetricsRequestHandlerLike, options: MetricsRouteOptions = {}): RequestHandler {
  if (typeof handler !== 'function') {
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      'Invalid argument handler of metricsRoute: pass metricsHandler({ registry, auth }) from @jts/metrics',
    );
  }
  const path = options.path ?? '/metrics';
  if (typeof path !== 'string' || !path.startsWith('/'))
    throw new JtsError('JTS_ERR_INVALID_OPTION', 'Invalid option path of metricsRoute: must start with /');
  return function jtsMetricsRoute(request, response, next) {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    if ((query === -1 ? url : url.slice(0, query)) === path) handler(request, response, next);
    else next();
  };
}
