import type { IncomingMessage } from 'node:http';
import type { ArgumentsHost } from '@nestjs/common';
import { type RequestRun, requestRunOf } from '@jts/http';

/**
 * The `@jts/http` run of the HTTP request an exception filter or guard is handling (the raw
 * request behind Fastify's `request.raw`), or undefined outside HTTP or for excluded paths.
 *
 * @param host - the filter's `ArgumentsHost` (or a guard's `ExecutionContext`)
 * @returns the request's run
 * @example
 * requestRunFrom(host)?.correlationId;
 */
export function requestRunFrom(host: ArgumentsHost): RequestRun | undefined {
  if (host.getType() !== 'http') return undefined;
  const request = host.switchToHttp().getRequest<(IncomingMessage & { raw?: IncomingMessage }) | undefined>();
  if (request === undefined || request === null) return undefined;
  return requestRunOf(request.raw ?? request);
}

/**
 * Keeps an error on its request's access line and server span, for exception filters of your own
 * that answer errors `JtsExceptionFilter` would otherwise have recorded (a catch-all filter of
 * the application runs instead of it). Recording is idempotent: the request still has one line.
 *
 * @param host - the filter's `ArgumentsHost`
 * @param error - the exception being handled
 * @returns whether the request had a run to record it on
 * @example
 * catch(exception: unknown, host: ArgumentsHost) {
 *   recordRequestError(host, exception);
 *   // ... answer as your filter does
 * }
 */
export function recordRequestError(host: ArgumentsHost, error: unknown): boolean {
  const run = requestRunFrom(host);
  if (run === undefined) return false;
  run.recordError(error);
  return true;
}
