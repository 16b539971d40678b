import { type App, type Layer, type Route, type Router, isRouter, routerOf } from './express-shapes.js';

/** Where a layer sits: the router whose stack holds it and, for a route's handler, the route. */
export interface LayerPlace {
  readonly router: Router;
  /** Set for the layers of a route's handlers. */
  readonly route?: Route;
  /** For a route's handlers: the router layer that holds the route (Express 4 reads its match). */
  readonly routeLayer?: Layer;
}

const places = new WeakMap<Layer, LayerPlace>();
// Layers looked for once and not found from their app (a router called by hand inside a handler):
// not looked for again, so such a request costs no walk.
const unknown = new WeakSet<Layer>();

function index(router: Router, seen: Set<Router>): void {
  if (seen.has(router)) return;
  seen.add(router);
  for (const layer of router.stack) {
    if (layer.route !== undefined && Array.isArray(layer.route.stack)) {
      places.set(layer, { router });
      for (const handler of layer.route.stack) places.set(handler, { router, route: layer.route, routeLayer: layer });
    } else {
      places.set(layer, { router });
      if (isRouter(layer.handle)) index(layer.handle, seen);
    }
  }
}

/**
 * Finds which router (and route) a layer belongs to. The routers reachable from the request's
 * app are indexed the first time one of their layers is asked for, and again when a layer added
 * later is met, so the index follows routes registered after the first request.
 *
 * @param layer - the layer Express is invoking
 * @param request - the request, whose `app` (a mounted sub-app while inside it) is read only when
 *   the layer is not indexed yet
 * @returns its place, or undefined for a layer not reachable from the app
 */
export function placeOf(layer: Layer, request: { readonly app?: App }): LayerPlace | undefined {
  const known = places.get(layer);
  if (known !== undefined || unknown.has(layer)) return known;
  const router = routerOf(request.app);
  if (router !== undefined) index(router, new Set());
  const found = places.get(layer);
  if (found === undefined) unknown.add(layer);
  return found;
}
