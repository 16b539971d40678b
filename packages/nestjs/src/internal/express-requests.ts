import type { IncomingMessage, ServerResponse } from 'node:http';
import { type HttpSettings, type RequestRun, type SwappingApp, reserveBeforeSwap, serveRequest } from '@jts/http';

/** The part of an Express application the module uses (its `handle` and prototypes: `SwappingApp`). */
export interface ExpressApp extends SwappingApp {
  use(handler: (request: IncomingMessage, response: ServerResponse, next: () => void) => void): unknown;
}

type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

const INSTRUMENTED = Symbol.for('jts.nestjs.express.v1');

/** The template Express matched, set on the run just before it ends. */
function readRoute(request: IncomingMessage, run: RequestRun): void {
  const { route, baseUrl } = request as RoutedRequest;
  // A route of a router mounted on a path (NestJS 12 answers 404s under a global prefix from
  // a `*path` route of such a router) has a path relative to its mount: never a template of ours.
  if (typeof route?.path === 'string' && (baseUrl === undefined || baseUrl === '')) run.setRoute(route.path);
}

/**
 * Observes every request of an Express application from its first middleware: registered while
 * Nest creates the application, it runs before Nest's body parsers and middleware, so the
 * context covers them and a body the parser rejects is still one request with its status. The
 * route template is what Express matched: Nest mounts each route with its full path (global
 * prefix and version included) on the application itself, so `req.route.path` read when the
 * response ends is the template, for guard rejections and filtered errors too. Routes of routers
 * mounted on a path are not Nest's routes and stay `unmatched`. The application's `handle` is
 * wrapped as `@jts/express` wraps it (`reserveBeforeSwap` of `@jts/http`): each request gets the
 * property of its run, and with `keepRequestShapes` the properties Express and Nest add to it
 * after swapping its prototypes, before the swap, so requests keep shared V8 hidden classes.
 *
 * @param app - the Express application (`httpAdapter.getInstance()`)
 * @param settings - resolved HTTP options
 * @returns false when the application was already instrumented
 */
export function instrumentExpress(app: ExpressApp, settings: HttpSettings): boolean {
  const marked = app as ExpressApp & { [INSTRUMENTED]?: true };
  if (marked[INSTRUMENTED]) return false;
  marked[INSTRUMENTED] = true;
  reserveBeforeSwap(app, settings.keepRequestShapes);
  app.use(function jtsRequest(request, response, next) {
    serveRequest(settings, request, response, (run) => {
      // Read when routing is over, before the run ends (guard rejections and filtered errors included).
      if (run !== undefined) run.beforeEnd = readRoute;
      next();
    });
  });
  return true;
}
