/**
 * The parts of Express's internals the route capture reads, typed structurally. Express 4 keeps
 * its router in `app._router` and its layers store their last match (`path`, `keys`, `regexp`);
 * Express 5 uses the `router` package (`app.router`), whose layers keep no match state.
 */
import type { SwappingApp } from '@jts/http';

/** One entry of a router's stack: a middleware, a mounted router or app, or a route. */
export interface Layer {
  readonly handle: ((...args: never[]) => unknown) & { readonly stack?: unknown };
  readonly route?: Route;
  /** Express 4: the text the layer matched last, its parameter keys and its compiled pattern. */
  readonly path?: string;
  readonly keys?: readonly { readonly name: string | number }[];
  readonly regexp?: RegExp & { readonly fast_slash?: boolean; readonly fast_star?: boolean };
}

/** A route (`router.route(path)`): its own path pattern and the layers of its handlers. */
export interface Route {
  readonly path: unknown;
  readonly stack: readonly Layer[];
}

/** A router (an app's base router, or `express.Router()`). */
export interface Router {
  readonly stack: readonly Layer[];
  /** `router` 2.3 and later (Express 5), which also publish the `express.router.request` channel. */
  readonly listRoutes?: unknown;
}

/** An Express application, as `req.app` exposes it. */
export interface App extends SwappingApp {
  /** Express 4's base router (Express 4's `app.router` is a getter that throws). */
  readonly _router?: Router;
  readonly mountpath?: unknown;
  readonly parent?: App;
}

/** Whether a layer's handle is a router (`express.Router()` keeps its stack on the function). */
export function isRouter(handle: unknown): handle is Router {
  return typeof handle === 'function' && Array.isArray((handle as { stack?: unknown }).stack);
}

/**
 * The base router of an app: `_router` on Express 4, `router` on Express 5.
 *
 * @param app - `req.app`
 * @returns the router, or undefined when the app has none yet
 */
export function routerOf(app: App | undefined): Router | undefined {
  if (app === undefined || app === null) return undefined;
  const legacy = app._router;
  if (legacy !== undefined) return legacy;
  try {
    const modern = (app as { router?: unknown }).router;
    return isRouterObject(modern) ? modern : undefined;
  } catch {
    // Express 4's `app.router` throws on purpose; an app with no `_router` has no routes yet.
    return undefined;
  }
}

function isRouterObject(value: unknown): value is Router {
  return (
    (typeof value === 'function' || (typeof value === 'object' && value !== null)) &&
    Array.isArray((value as { stack?: unknown }).stack)
  );
}
