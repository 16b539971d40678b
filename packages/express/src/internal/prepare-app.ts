import type { IncomingMessage, ServerResponse } from 'node:http';
import { reserveRequestRun } from '@jts/http';
import { type App, routerOf } from './express-shapes.js';
import { hookExpress4Layers } from './express4-layer.js';

const prepared = new WeakSet<object>();
let warned = false;
const RESERVING = Symbol.for('jts.express.reserving-handle.v1');
type Handle = (this: App, request: IncomingMessage, response: ServerResponse, next?: unknown) => unknown;
type Handling = App & { handle?: Handle & { [RESERVING]?: true } };

/**
 * Wraps the `handle` of the app at the top of `app`'s mounts (its own property, not Express's
 * prototype) so that each request it handles from now on is given the property of its run
 * (`reserveRequestRun`) before Express swaps the prototypes of the request and the response. The
 * middleware then stores the run into a property that exists; added after the swap, it would
 * give each request a V8 map of its own (measured: about 1.5-3 µs per request on Express 5 in
 * process). Express calls `app.handle` for every request (`app(req, res)` does), so nothing else
 * changes; an app whose `handle` is not a function is left alone.
 */
function reserveRunsOf(app: App): void {
  let top = app as Handling;
  while (top.parent !== undefined && top.parent !== null) top = top.parent as Handling;
  const handle = top.handle;
  if (typeof handle !== 'function' || handle[RESERVING] === true) return;
  const reserving = Object.assign(
    function handleReservingRun(this: App, request: IncomingMessage, response: ServerResponse, next?: unknown) {
      reserveRequestRun(request);
      return handle.call(this, request, response, next);
    },
    { [RESERVING]: true as const },
  );
  try {
    top.handle = reserving;
  } catch {
    // A frozen app keeps its handle: its requests only cost the map.
  }
}

/**
 * Readies route capture for the app serving a request, once per app: on Express 4, hooks its
 * layers; on Express 5, checks that its `router` publishes the `express.router.request` channel
 * (2.3 and later) and warns once (`JTS_WARN_EXPRESS_ROUTER`) when it does not, since requests
 * then keep the `unmatched` template. Also reserves the run's property of later requests (see
 * `reserveRunsOf`).
 *
 * @param app - `req.app`
 */
export function prepareApp(app: App | undefined): void {
  if (app === undefined || app === null || prepared.has(app)) return;
  prepared.add(app);
  reserveRunsOf(app);
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
