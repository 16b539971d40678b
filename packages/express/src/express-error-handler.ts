import type { ServerResponse } from 'node:http';
import { requestRunOf } from '@jts/http';
import type { ErrorRequestHandler } from './express-types.js';
import { stateOf } from './internal/request-state.js';

/** The status an error asks for (`status` or `statusCode` 400-599, as Express's final handler reads it), else 500. */
function statusOf(error: unknown): number {
  if (error === null || typeof error !== 'object') return 500;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const candidate = typeof status === 'number' ? status : statusCode;
  return typeof candidate === 'number' && Number.isInteger(candidate) && candidate >= 400 && candidate <= 599
    ? candidate
    : 500;
}

function answer(response: ServerResponse, status: number, correlationId: string | undefined): void {
  const body = JSON.stringify({ error: status >= 500 ? 'internal_error' : 'request_error', correlationId });
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}

/**
 * The last error handler of the app: keeps the error on the request's run (so its one access line
 * and its span carry the real error and stack; nothing else logs it) and answers with the
 * error's status (`status`/`statusCode` 4xx-5xx, else 500) and a JSON body carrying the
 * correlation ID, no stack. When headers were already sent, it hands the error to Express, which
 * closes the connection. Your own error handlers, registered before it, see every error as usual.
 *
 * @returns the error-handling middleware
 * @example
 * app.use(expressErrorHandler()); // after every route and your own error handlers
 */
export function expressErrorHandler(): ErrorRequestHandler {
  return function jtsExpressErrorHandler(error, request, response, next) {
    const state = stateOf(request);
    state?.recordError(error);
    if (response.headersSent) {
      next(error);
      return;
    }
    answer(response, statusOf(error), requestRunOf(request)?.correlationId);
  };
}
