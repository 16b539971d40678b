import type { ArgumentsHost, HttpServer } from '@nestjs/common';
import { Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { requestRunFrom } from './request-error.js';

/** Nest's own fallback filter of a transport other than HTTP (`BaseRpcExceptionFilter`, `BaseWsExceptionFilter`). */
export interface TransportFallback {
  catch(exception: unknown, host: ArgumentsHost): unknown;
}

/** What an error a server is to blame for looks like: anything but a 4xx HttpException or HTTP error. */
function isServerError(exception: unknown, filter: BaseExceptionFilter): boolean {
  if (exception instanceof HttpException) return exception.getStatus() >= 500;
  return !(filter.isHttpError(exception) && exception.statusCode < 500);
}

const UNKNOWN_EXCEPTION_MESSAGE = 'Internal server error';

/**
 * The fallback exception filter `JtsModule` installs: consulted after every filter of the
 * application (scoped, `APP_FILTER` and `useGlobalFilters` ones), it answers as Nest's built-in
 * handler does and records a server error once, on the request's access line and span, instead
 * of Nest's separate `ExceptionsHandler` error line. A 500 for an unknown error also carries the
 * request's `correlationId` in its body. Other transports (RPC, WebSockets) keep Nest's own
 * handling.
 */
@Catch()
export class JtsExceptionFilter extends BaseExceptionFilter {
  /**
   * @param applicationRef - the HTTP adapter
   * @param fallbacks - Nest's filters for the other transports, by `host.getType()`
   */
  constructor(
    applicationRef?: HttpServer,
    private readonly fallbacks: Readonly<Record<string, TransportFallback | undefined>> = {},
  ) {
    super(applicationRef);
  }

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    const type = host.getType();
    if (type !== 'http') {
      const fallback = this.fallbacks[type];
      if (fallback !== undefined) return fallback.catch(exception, host);
      // What Nest does for contexts without a filter of their own (GraphQL): the error goes back to its caller.
      throw exception;
    }
    if (isServerError(exception, this)) requestRunFrom(host)?.recordError(exception);
    return super.catch(exception, host);
  }

  /** Nest's answer to an error that is not an HttpException, without its log line (the access line has the error). */
  override handleUnknownError(exception: unknown, host: ArgumentsHost, applicationRef: HttpServer): void {
    const httpError = this.isHttpError(exception);
    const statusCode = httpError ? exception.statusCode : 500;
    const describe = (this as { getHttpErrorMessage?: (error: unknown) => string }).getHttpErrorMessage;
    const message = httpError
      ? typeof describe === 'function'
        ? describe.call(this, exception)
        : exception.message
      : UNKNOWN_EXCEPTION_MESSAGE;
    const correlationId = statusCode >= 500 ? requestRunFrom(host)?.correlationId : undefined;
    const body = correlationId === undefined ? { statusCode, message } : { statusCode, message, correlationId };
    const response = host.getArgByIndex(1);
    if (!applicationRef.isHeadersSent(response)) applicationRef.reply(response, body, statusCode);
    else applicationRef.end(response);
  }
}
