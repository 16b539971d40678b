import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { type HttpInstrumentationOptions, resolveHttpSettings } from './http-options.js';
import { httpCounters } from './http-stats.js';
import { type RequestRun, serveRequest } from './request-lifecycle.js';

/** A `node:http` request listener (sync or async). */
export type RequestListener = (request: IncomingMessage, response: ServerResponse) => unknown;

/**
 * Answers a request whose handler failed: a 500 with the correlation ID when nothing was sent yet,
 * otherwise the connection is closed (a half-sent body must not look complete). The error is kept
 * on the run, so the request's one access line and its span carry it.
 */
function failRequest(response: ServerResponse, run: RequestRun | undefined, error: unknown): void {
  httpCounters.handlerErrors++;
  run?.recordError(error);
  if (response.headersSent || response.writableEnded) {
    response.destroy();
    return;
  }
  const body = JSON.stringify({ error: 'internal_error', correlationId: run?.correlationId });
  response.writeHead(500, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/**
 * Wraps a `node:http` request listener: every request becomes an `http.server.request` run (the
 * signals you created observe it), with a validated correlation ID echoed in the response, the
 * caller's `traceparent` continued, one outcome (`success | client_error | server_error | aborted
 * | timeout`) and a route template from `options.route`. A handler that throws or rejects gets a
 * 500 carrying the correlation ID instead of crashing the process.
 *
 * @param handler - your request listener
 * @param options - see {@link HttpInstrumentationOptions}
 * @returns the instrumented listener
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a bad option
 * @example
 * http.createServer(instrumentHandler(handle, { route: (req) => router.templateOf(req) })).listen(8080);
 */
export function instrumentHandler(
  handler: RequestListener,
  options: HttpInstrumentationOptions = {},
): (request: IncomingMessage, response: ServerResponse) => void {
  const settings = resolveHttpSettings(options);
  return function instrumented(this: unknown, request, response) {
    serveRequest(settings, request, response, (run) => {
      try {
        const result = handler.call(this, request, response);
        if (result instanceof Promise) result.catch((error: unknown) => failRequest(response, run, error));
      } catch (error) {
        failRequest(response, run, error);
      }
    });
  };
}

/**
 * Instruments the `request` listeners a server already has (call it after `createServer(handler)`
 * or `server.on('request', handler)`).
 *
 * @param server - an `http.Server` or `https.Server`
 * @param options - see {@link HttpInstrumentationOptions}
 * @returns a function that puts the original listeners back
 * @example
 * const server = http.createServer(handle);
 * instrumentServer(server, { route: templateOf });
 */
export function instrumentServer(server: Server, options: HttpInstrumentationOptions = {}): () => void {
  const listeners = server.listeners('request') as RequestListener[];
  const instrumented = instrumentHandler(function (this: unknown, request, response) {
    for (const listener of listeners) listener.call(this, request, response);
  }, options);
  for (const listener of listeners) server.off('request', listener as never);
  server.on('request', instrumented);
  return () => {
    server.off('request', instrumented);
    for (const listener of listeners) server.on('request', listener as never);
  };
}
