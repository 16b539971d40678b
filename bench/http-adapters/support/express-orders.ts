/**
 * The Express 5 app of the Express cases: `GET /orders/:id` answering the small JSON body with
 * `res.send`, bare or with @jts/express (its middleware first, its error handler last). Shared by
 * the server cases under load and the in-process suite of packages/express/bench.
 */
import type { RequestListener } from 'node:http';
import type Express from 'express';
import { expressErrorHandler, expressMiddleware } from '../../../packages/express/dist/index.js';
import type { MinimalSignals } from './minimal-signals.js';
import { orderBody } from './serve.js';

/** What the app carries besides its route: nothing, @jts/express, a no-op middleware, or the minimal signals. */
export type OrdersAppSetup = 'bare' | 'jts' | 'noop-middleware' | MinimalSignals;

/**
 * Builds the orders app.
 *
 * @param express - the Express 5 factory (the root's `express`, or the `express5` alias)
 * @param setup - `bare`; `jts` (expressMiddleware first, expressErrorHandler last);
 *   `noop-middleware` (one middleware that only calls `next()`); or minimal signals (one
 *   middleware starting them, the route read from `req.baseUrl` and `req.route` at finish)
 * @returns the app, as a request listener
 */
export function expressOrdersApp(express: typeof Express, setup: OrdersAppSetup): RequestListener {
  const app = express();
  if (setup === 'jts') app.use(expressMiddleware());
  if (setup === 'noop-middleware') app.use((_request, _response, next) => next());
  if (typeof setup === 'object') {
    app.use((request, response, next) =>
      setup.request(
        request,
        response,
        () => (request.route ? `${request.baseUrl}${request.route.path}` : 'unmatched'),
        next,
      ),
    );
  }
  app.get('/orders/:id', (request, response) => {
    response.type('application/json').send(orderBody(request.params.id as string));
  });
  if (setup === 'jts') app.use(expressErrorHandler());
  return app as unknown as RequestListener;
}
