import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction } from '../express-types.js';
import type { Layer } from './express-shapes.js';
import { isError, stateOf } from './request-state.js';

type Handler = (...args: unknown[]) => unknown;
interface Express4LayerPrototype {
  handle_request(this: Layer, request: IncomingMessage, response: ServerResponse, next: NextFunction): void;
  handle_error(
    this: Layer,
    error: unknown,
    request: IncomingMessage,
    response: ServerResponse,
    next: NextFunction,
  ): void;
  [WRAPPED]?: true;
}
const WRAPPED = Symbol.for('jts.express.layer-wrapped.v1');

/**
 * Express 4 publishes nothing while routing, so the capture hooks the two methods of its
 * internal `Layer` through which every middleware, router and route handler is invoked. For a
 * request `@jts/express` serves, the hook tells the request's state which layer is entered,
 * watches `next(error)` for the request's error, and notes a rejected promise returned by an async
 * handler (which Express 4 ignores) on the request, rethrowing it so the process sees it as
 * before. Every other request takes Express's own code. Done once per copy of Express.
 *
 * @param prototype - `Object.getPrototypeOf(layer)` of any layer of an Express 4 router
 */
export function hookExpress4Layers(prototype: Express4LayerPrototype): void {
  if (
    prototype[WRAPPED] === true ||
    typeof prototype.handle_request !== 'function' ||
    typeof prototype.handle_error !== 'function'
  )
    return;
  const handleRequest = prototype.handle_request;
  const handleError = prototype.handle_error;
  prototype.handle_request = function handle_request(this: Layer, request, response, next) {
    const state = stateOf(request);
    if (!state) return handleRequest.call(this, request, response, next);
    state.enter(this, request, undefined);
    const handle = this.handle as unknown as Handler;
    // Express 4's own body, plus what it ignores: the promise an async handler returns.
    if (handle.length > 3) return next();
    const watched: NextFunction = (error) => {
      if (isError(error)) state.recordError(error);
      next(error);
    };
    try {
      const result = handle(request, response, watched) as { then?: unknown } | undefined;
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
        (result as PromiseLike<unknown>).then(undefined, (error: unknown) => {
          state.recordError(error ?? new Error('Rejected promise'));
          throw error;
        });
      }
    } catch (error) {
      watched(error);
    }
  };
  prototype.handle_error = function handle_error(this: Layer, error, request, response, next) {
    const state = stateOf(request);
    if (!state) return handleError.call(this, error, request, response, next);
    state.recordError(error);
    handleError.call(this, error, request, response, (replaced?: unknown) => {
      if (isError(replaced)) state.recordError(replaced);
      next(replaced);
    });
  };
  prototype[WRAPPED] = true;
}
