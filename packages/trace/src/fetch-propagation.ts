import diagnosticsChannel from 'node:diagnostics_channel';
import { injectTraceHeaders } from './inject-trace-headers.js';

/** The part of undici's request object the `undici:request:create` channel gives us. */
interface UndiciRequest {
  readonly headers?: string | readonly unknown[] | Record<string, unknown>;
  addHeader?(name: string, value: string): unknown;
}

function hasHeader(request: UndiciRequest, name: string): boolean {
  const { headers } = request;
  if (typeof headers === 'string')
    return headers
      .toLowerCase()
      .split('\r\n')
      .some((line) => line.startsWith(`${name}:`));
  if (Array.isArray(headers)) {
    // undici 7 keeps [name, value, name, value, ...]
    for (let index = 0; index < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() === name) return true;
    }
    return false;
  }
  if (headers !== undefined && typeof headers === 'object')
    return Object.keys(headers).some((key) => key.toLowerCase() === name);
  return false;
}

/**
 * Makes every `fetch` (and undici request) carry `traceparent`, `tracestate`, `baggage` and
 * `x-correlation-id` from the caller's active context, through undici's
 * `undici:request:create` diagnostics channel: no monkey-patching. Headers the caller set
 * are kept.
 *
 * @returns a function that stops injecting
 * @example
 * const stop = instrumentFetch();
 */
export function instrumentFetch(): () => void {
  const onCreate = (message: unknown) => {
    const request = (message as { request?: UndiciRequest }).request;
    if (request === undefined || typeof request.addHeader !== 'function') return;
    try {
      const outgoing = injectTraceHeaders({} as Record<string, string>);
      for (const [name, value] of Object.entries(outgoing)) {
        if (!hasHeader(request, name)) request.addHeader(name, value);
      }
    } catch {
      // Never break the caller's request.
    }
  };
  diagnosticsChannel.subscribe('undici:request:create', onCreate);
  return () => {
    diagnosticsChannel.unsubscribe('undici:request:create', onCreate);
  };
}
