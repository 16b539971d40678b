import { reserveBeforeSwap } from '@jts/http';
import { type App, routerOf } from './express-shapes.js';
import { hookExpress4Layers } from './express4-layer.js';

const prepared = new WeakSet<object>();
let warned = false;

/** The app at the top of `app`'s mounts (the one Express calls `handle` on for each request). */
function topOf(app: App): App {
  let top = app;
  while (top.parent !== undefined && top.parent !== null) top = top.parent;
  return top;
}

/**
 * Readies route capture for the app serving a request, once per app: on Express 4, hooks its
 * layers; on Express 5, checks that its `router` publishes the `express.router.request` channel
 * (2.3 and later) and warns once (`JTS_WARN_EXPRESS_ROUTER`) when it does not, since requests
 * then keep the `unmatched` template. Also reserves the run's property of later requests, and with
 * `keepShapes` the other properties the app adds (`reserveBeforeSwap` of `@jts/http`).
 *
 * @param app - `req.app`
 * @param keepShapes - the middleware's resolved `keepRequestShapes`
 */
export function prepareApp(app: App | undefined, keepShapes: boolean): void {
  if (app === undefined || app === null || prepared.has(app)) return;
  prepared.add(app);
  // The run's property (and, with keepShapes, the app's others) given before Express swaps the
  // prototypes: added after the swap, each would give the request a V8 hidden class of its own.
  reserveBeforeSwap(topOf(app), keepShapes);
  const router = routerOf(app);
  const first = router?.stack[0];
  if (router === undefined || first === undefined) return;
  if (app._router !== undefined) hookExpress4Layers(Object.getPrototypeOf(first));
  else if (typeof router.listRoutes !== 'function' && !warned) {
    warned = true;
    process.emitWarning(
      '@jts/express captures route templates on Express 5 through the router package 2.3 or later (update it: npm install router@^2.3); until then requests are labelled with the unmatched template',
      {
        code: 'JTS_WARN_EXPRESS_ROUTER',
        type: 'JtsWarning',
      },
    );
  }
}
