import { type App, routerOf } from './express-shapes.js';
import { hookExpress4Layers } from './express4-layer.js';

const prepared = new WeakSet<object>();
let warned = false;

/**
 * Readies route capture for the app serving a request, once per app: on Express 4, hooks its
 * layers; on Express 5, checks that its `router` publishes the `express.router.request` channel
 * (2.3 and later) and warns once (`JTS_WARN_EXPRESS_ROUTER`) when it does not, since requests
 * then keep the `unmatched` template.
 *
 * @param app - `req.app`
 */
export function prepareApp(app: App | undefined): void {
  if (app === undefined || app === null || prepared.has(app)) return;
  prepared.add(app);
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
