import type { IncomingMessage } from 'node:http';
import { type RequestRun, requestRunOf } from '@jts/http';
import type { App, Layer, Router } from './express-shapes.js';
import { routerOf } from './express-shapes.js';
import { placeOf } from './router-index.js';
import { express4Template, joinTemplate, patternText } from './route-templates.js';

type Tracked = IncomingMessage & { app?: App };
// Requests seen and excluded (no run: scrapes, probes), shared by every copy of this package in
// the process. They are rare, so a WeakSet costs less here than a second property on every request.
const EXCLUDED_KEY = Symbol.for('jts.express.excluded-requests.v1');
const excluded: WeakSet<IncomingMessage> = ((globalThis as Record<symbol, unknown>)[EXCLUDED_KEY] ??=
  new WeakSet<IncomingMessage>()) as WeakSet<IncomingMessage>;

/** Whether a value passed to `next` is an error (`'route'` and `'router'` are routing signals). */
export function isError(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== 'route' && value !== 'router';
}

/**
 * What `@jts/express` keeps on a request while Express routes it: the run, the template prefix
 * of each router entered (so a route's template carries its mounts' patterns, never their
 * values), and whether the request's error was recorded.
 */
export class RequestState {
  private prefixes: Map<Router, string> | undefined = undefined;
  private subApp: string | undefined = undefined;
  private errorRecorded = false;

  constructor(
    readonly run: RequestRun,
    private readonly app: App | undefined,
    private readonly rootPrefix: string,
  ) {}

  /** Records the request's error, once: the first one seen is the real one. */
  recordError(error: unknown): void {
    if (this.errorRecorded || !isError(error)) return;
    this.errorRecorded = true;
    this.run.recordError(error);
  }

  /**
   * Express invokes `layer` for this request; `pattern` is its registered path when the router
   * tells it (Express 5), otherwise it is rebuilt from the layer's match (Express 4).
   */
  enter(layer: Layer, request: Tracked, pattern: unknown): void {
    // `request.app` is read only when the layer or its router is new to this request: each read
    // of an Express request costs (see requestRunOf in @jts/http).
    const place = placeOf(layer, request);
    if (place === undefined) return;
    const prefix = this.prefixOf(place.router, request);
    if (place.route !== undefined) {
      const text =
        pattern !== undefined
          ? patternText(pattern)
          : typeof place.route.path === 'string'
            ? place.route.path
            : (express4Template(place.routeLayer!) ?? patternText(place.route.path));
      if (text !== undefined) this.run.setRoute(joinTemplate(prefix, text));
      return;
    }
    const handle = layer.handle;
    const mounted = typeof handle === 'function' && (Array.isArray(handle.stack) || handle.name === 'mounted_app');
    if (!mounted) return;
    const text = pattern !== undefined ? patternText(pattern) : express4Template(layer);
    if (text === undefined) return;
    const template = joinTemplate(prefix, text);
    if (handle.name === 'mounted_app') this.subApp = template;
    else (this.prefixes ??= new Map()).set(handle as unknown as Router, template);
  }

  private prefixOf(router: Router, request: Tracked): string {
    const known = this.prefixes?.get(router);
    if (known !== undefined) return known;
    if (this.subApp === undefined) return this.rootPrefix;
    // The first layer met in a mounted sub-app: its router sits under the mount just entered.
    const app = request.app;
    if (app !== this.app && routerOf(app) === router) {
      (this.prefixes ??= new Map()).set(router, this.subApp);
      return this.subApp;
    }
    return this.rootPrefix;
  }
}

/**
 * The state of a request being served by `@jts/express` (`undefined` when it is not, `null` when
 * it was seen and excluded). It lives in the request's run (`RequestRun.adapter`); an excluded
 * request is remembered in a WeakSet.
 *
 * @param request - the incoming request
 * @returns its state
 */
export function stateOf(request: IncomingMessage): RequestState | null | undefined {
  const adapter = requestRunOf(request)?.adapter;
  if (adapter instanceof RequestState) return adapter;
  return excluded.has(request) ? null : undefined;
}

/** Whether a request was seen and excluded (no run). */
export function isExcluded(request: IncomingMessage): boolean {
  return excluded.has(request);
}

/** Marks a request as served (with its state, kept in its run, or `null` for an excluded one). */
export function attachState(request: IncomingMessage, state: RequestState | null): void {
  if (state === null) excluded.add(request);
  else state.run.adapter = state;
}

/**
 * The template prefix of an app mounted under another (`app.use('/v2', sub)`) whose own
 * middleware is the first `@jts/express` one the request meets: its mount paths, when they are
 * strings.
 *
 * @param app - `req.app`
 * @returns the prefix ('' for a top-level app)
 */
export function mountPrefixOf(app: App | undefined): string {
  let prefix = '';
  for (let current = app; current?.parent !== undefined; current = current.parent) {
    if (typeof current.mountpath !== 'string') return '';
    prefix = joinTemplate(current.mountpath, prefix === '' ? '/' : prefix);
  }
  return prefix === '/' ? '' : prefix;
}
