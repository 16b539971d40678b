import { tracingChannel } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Layer } from './express-shapes.js';
import { stateOf } from './request-state.js';

/** What `router` (2.3 and later, Express 5) publishes for each handler it invokes. */
interface RouterInvocation {
  readonly req: IncomingMessage;
  readonly layer: Layer;
  /** The registered pattern that matched: a route's path, or a middleware's mount path. */
  readonly route: unknown;
  readonly error?: unknown;
  readonly errorHandler?: boolean;
}

let subscribed = false;
const OWN = Symbol.for('jts.express.own-middleware.v1');

/**
 * Marks the `@jts/express` middleware, whose own invocation the channel reports before the
 * request has a run: that report is skipped without reading the request.
 *
 * @param middleware - the middleware function
 * @returns it
 */
export function markOwn<F extends object>(middleware: F): F {
  (middleware as { [OWN]?: true })[OWN] = true;
  return middleware;
}

/**
 * Subscribes, once per process, to `express.router.request`, the `diagnostics_channel`
 * `TracingChannel` through which `router` 2.3+ (Express 5) reports every middleware and route
 * handler it invokes with the pattern that matched, and every error once, where it arose. Requests
 * not served by `@jts/express` are ignored. No Express code is patched.
 */
export function subscribeRouterChannel(): void {
  if (subscribed) return;
  subscribed = true;
  const channel = tracingChannel<unknown, RouterInvocation>('express.router.request');
  channel.start.subscribe((message) => {
    const invocation = message as RouterInvocation;
    if ((invocation.layer.handle as { [OWN]?: true })[OWN] === true) return;
    const state = stateOf(invocation.req);
    if (state && invocation.errorHandler !== true) state.enter(invocation.layer, invocation.req, invocation.route);
  });
  channel.error.subscribe((message) => {
    const invocation = message as RouterInvocation;
    const state = stateOf(invocation.req);
    if (state) state.recordError(invocation.error);
  });
}
