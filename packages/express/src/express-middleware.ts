import { type HttpInstrumentationOptions, requestRunOf, resolveHttpSettings, serveRequest } from '@jts/http';
import type { RequestHandler } from './express-types.js';
import type { App } from './internal/express-shapes.js';
import { prepareApp } from './internal/prepare-app.js';
import { RequestState, attachState, isExcluded, mountPrefixOf } from './internal/request-state.js';
import { markOwn, subscribeRouterChannel } from './internal/router-channel.js';

/**
 * Options of {@link expressMiddleware}: those of every JTS HTTP adapter (see `@jts/http`),
 * `keepRequestShapes` included.
 */
export type ExpressMiddlewareOptions = HttpInstrumentationOptions;

/**
 * The Express middleware (Express 4 and 5): each request becomes one `http.server.request` run,
 * so the logger, metrics and tracing you created report it with one outcome, a validated
 * correlation ID (echoed in the response), the caller's `traceparent` continued, and the route
 * template captured while Express routes it (`/api/orders/:orderId/fills/:fid`, never a real ID;
 * `unmatched` for a 404). Install it first, and {@link expressErrorHandler} last. Installing it
 * again (in a mounted sub-app) is harmless: a request is served once.
 *
 * @param options - see `HttpInstrumentationOptions` of `@jts/http`
 * @returns the middleware
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a bad option
 * @example
 * const app = express();
 * app.use(expressMiddleware());
 * app.use('/api/orders', orders);
 * app.use(expressErrorHandler());
 */
export function expressMiddleware(options: ExpressMiddlewareOptions = {}): RequestHandler {
  const settings = resolveHttpSettings(options);
  subscribeRouterChannel();
  return markOwn(function jtsExpressMiddleware(request, response, next) {
    // Each read of the request costs on Express (see requestRunOf): the run is looked up once.
    const served = requestRunOf(request);
    if (served !== undefined ? served.adapter instanceof RequestState : isExcluded(request)) {
      next();
      return;
    }
    const app = (request as { app?: App }).app;
    prepareApp(app, settings.keepRequestShapes);
    if (served !== undefined) {
      // Already a run (instrumentServer or instrumentHandler around this app): route it, do not start another.
      attachState(request, new RequestState(served, app, mountPrefixOf(app)));
      next();
      return;
    }
    serveRequest(settings, request, response, (run) => {
      attachState(request, run === undefined ? null : new RequestState(run, app, mountPrefixOf(app)));
      next();
    });
  });
}
