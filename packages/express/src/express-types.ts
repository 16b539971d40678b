import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Express's `next`: call it with nothing to go on, with an error to skip to the error handlers.
 * Typed structurally, so `@jts/express` needs no Express types at run time or in its declarations.
 */
export type NextFunction = (error?: unknown) => void;

/** An Express middleware (`app.use(handler)`), typed on Node's request and response. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse, next: NextFunction) => void;

/** An Express error-handling middleware (four parameters; Express tells them apart by arity). */
export type ErrorRequestHandler = (
  error: unknown,
  request: IncomingMessage,
  response: ServerResponse,
  next: NextFunction,
) => void;
