import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type HttpServerRequestAttributes,
  type OpenOperationScope,
  currentContext,
  httpServerRequest,
  runInContext,
} from '@jts/core';
import { correlationIdOfRequest, createTrustedContext, endWithTurn, isExiting } from '@jts/core/internal';
import type { HttpSettings } from './http-options.js';
import { httpCounters } from './http-stats.js';
import type { Timed } from './internal/deadlines.js';

/** What an adapter can tell about the request it is serving. */
export interface RequestRun {
  /** The request's correlation ID (validated, or new). */
  readonly correlationId: string;
  /** Sets the route template once the framework has routed the request (`/orders/:id`). */
  setRoute(template: string): void;
  /** Keeps the error the request failed with, for its access line and span; logged once. */
  recordError(error: unknown): void;
  /** Whether the request's run has ended (finished, aborted or timed out). */
  readonly ended: boolean;
  /**
   * A slot for the framework adapter serving the request (`@jts/express` keeps its routing state
   * here, so a request carries one property of ours, not one per package). Not for applications.
   */
  adapter: unknown;
  /**
   * Called once, just before the run ends (response finished, client gone, or timed out), for an
   * adapter that learns the route only when routing is over (`@jts/nestjs` on Express reads
   * `req.route` there). A shared function rather than a listener per request. Errors are ignored.
   */
  beforeEnd: ((request: IncomingMessage, run: RequestRun) => void) | undefined;
}

// The run of a request, in two places under one registered symbol (shared by every copy of this
// package): the slot of the request's root context, where the code the request runs finds it
// without reading the request, and a property of the request, for code that runs outside that
// context. On Express under Node 20 and 22, without keepRequestShapes (request-shapes.ts), every
// request and response ends up with a map of its own (Express adds properties after swapping their
// prototypes), so each property read on them misses V8's caches: about 0.3-0.5 µs in process,
// against a few nanoseconds for the context.
// A WeakMap from request to run was tried instead of the property and measured slower: about
// 15 µs more per request on Express 5 in process (its values reach back to their keys through the
// response, which young-generation collections then trace as ephemerons, the likely cause).
const RUN = Symbol.for('jts.http.request-run.v1');
type Tracked = IncomingMessage & { [RUN]?: RequestRun };

/**
 * What a request's root context holds: its run, until the run ends. A context can outlive its
 * request (a timer, a pool or a cache made while the request ran keeps the context it was made
 * in), and must not keep the request and the response alive with it.
 */
interface RunSlot {
  run: Request | undefined;
}

/** The run of the context the caller runs in, when it belongs to `request`. */
function contextRunOf(request: IncomingMessage): Request | undefined {
  const run = (currentContext()?.slot(RUN) as RunSlot | undefined)?.run;
  return run !== undefined && run.request === request ? run : undefined;
}

/**
 * The run of a request being served, for adapters and handlers (`undefined` for an excluded request).
 *
 * @param request - the incoming request
 * @returns its run
 * @example
 * requestRunOf(req)?.setRoute('/orders/:id');
 */
export function requestRunOf(request: IncomingMessage): RequestRun | undefined {
  return contextRunOf(request) ?? (request as Tracked)[RUN];
}

/**
 * Gives a request the property that will hold its run before a framework swaps its prototype
 * (`@jts/express` calls it as Express starts handling a request). Adding a property after the
 * swap makes V8 build a new map for that one object, about 1.5-3 µs per request on Express 5 in
 * process; storing into a property that already exists does not.
 *
 * @param request - a request not yet given to the framework
 */
export function reserveRequestRun(request: IncomingMessage): void {
  if (!(RUN in request)) (request as Tracked)[RUN] = undefined;
}

function byteLength(value: unknown): number | undefined {
  const bytes = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : undefined;
}

class Request implements RequestRun, Timed {
  /** Set when the run starts, right after the request's root context (which holds this object) is made. */
  scope: OpenOperationScope<HttpServerRequestAttributes> = undefined as never;
  /** The root context's slot: emptied when the run ends. */
  readonly slot: RunSlot = { run: this };
  adapter: unknown = undefined;
  beforeEnd: ((request: IncomingMessage, run: RequestRun) => void) | undefined = undefined;
  deadline = 0;
  newer: Timed | undefined = undefined;
  older: Timed | undefined = undefined;

  constructor(
    readonly correlationId: string,
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    readonly settings: HttpSettings,
  ) {}

  /** The adapter's last word before the run ends (see {@link RequestRun.beforeEnd}). */
  private ending(): void {
    const beforeEnd = this.beforeEnd;
    if (beforeEnd === undefined) return;
    this.beforeEnd = undefined;
    try {
      beforeEnd(this.request, this);
    } catch {
      // An adapter's failure never keeps the run from ending.
    }
  }

  get ended(): boolean {
    return this.scope.ended;
  }

  setRoute(template: string): void {
    if (typeof template === 'string' && template !== '') this.scope.setAttributes({ route: template });
  }

  recordError(error: unknown): void {
    this.scope.recordError(error);
  }

  /**
   * Ends the run, and lets the request's context (which may live on) forget it. The verdict is
   * decided now; the signals see the run with the other requests that end in this event-loop turn
   * (core's `endWithTurn`: under load, one pass over a turn's requests instead of the signals'
   * code between every two socket writes).
   */
  private end(): void {
    try {
      endWithTurn(this.scope);
    } finally {
      this.slot.run = undefined;
    }
  }

  /** The response ended: the status the client saw decides the outcome (core's mapping). */
  finish(): void {
    this.settings.deadlines?.remove(this);
    if (this.scope.ended) {
      httpCounters.lateResponses++;
      return;
    }
    this.ending();
    const response = this.response;
    this.scope.setAttributes({
      statusCode: response.statusCode,
      responseBytes: byteLength(response.getHeader('content-length')),
    });
    this.end();
  }

  /** The connection closed: before the response ended, the client gave up. */
  close(): void {
    if (this.scope.ended || this.response.writableFinished) return;
    this.settings.deadlines?.remove(this);
    this.ending();
    httpCounters.aborted++;
    if (this.response.headersSent) this.scope.setAttributes({ statusCode: this.response.statusCode });
    this.scope.setOutcome('aborted');
    this.end();
  }

  /** `requestTimeoutMs` passed with the response still open. */
  expire(): void {
    if (this.scope.ended) return;
    this.ending();
    httpCounters.timedOut++;
    this.scope.setOutcome('timeout');
    this.end();
  }
}

// One pair of listeners for every response (an emitter calls them with the response as `this`),
// instead of bound functions and once-wrappers made per request.
function runOfResponse(response: ServerResponse): Request | undefined {
  const run = (currentContext()?.slot(RUN) as RunSlot | undefined)?.run;
  if (run !== undefined && run.response === response) return run;
  return (response.req as Tracked | undefined)?.[RUN] as Request | undefined;
}
function onFinish(this: ServerResponse): void {
  runOfResponse(this)?.finish();
}
function onClose(this: ServerResponse): void {
  runOfResponse(this)?.close();
}

/**
 * Serves one request as an `http.server.request` run: takes (or makes) its correlation ID,
 * echoes it, runs `handle` inside the run's context, and ends the run when the response finishes
 * (outcome from its status), when the client goes away first (`aborted`) or when the response is
 * still open after `requestTimeoutMs` (`timeout`). Excluded requests are handled with no run;
 * while the process is ending, other new requests get a 503 (`refuseWhileExiting`).
 * The lifecycle every adapter shares.
 *
 * @param settings - resolved options
 * @param request - the incoming request
 * @param response - its response
 * @param handle - what serves the request (the user's handler, or the framework's `next`)
 */
export function serveRequest(
  settings: HttpSettings,
  request: IncomingMessage,
  response: ServerResponse,
  handle: (run: RequestRun | undefined) => void,
): void {
  // Excluded paths (scrapes, probes) are served even while exiting: Prometheus still sees the
  // refusals counted below, and the probe handlers decide what to answer.
  const url = request.url;
  if (settings.excluded(request, url)) {
    httpCounters.excluded++;
    handle(undefined);
    return;
  }
  if (settings.refuseWhileExiting && isExiting() && !response.headersSent) {
    // The process is flushing its signals before it ends: no new work it may not finish.
    httpCounters.refused++;
    response.writeHead(503, { connection: 'close', 'retry-after': '1', 'content-length': '0' }).end();
    return;
  }
  httpCounters.requests++;
  const headers = request.headers;
  const correlationId = correlationIdOfRequest(headers, settings.correlationHeader);
  if (settings.echoCorrelationId) {
    try {
      response.setHeader(settings.correlationHeader, correlationId);
    } catch {
      // Headers already sent (by code before an adapter's middleware): there is nothing to echo into.
    }
  }
  let route: string | undefined;
  if (settings.route !== undefined) {
    try {
      const template = settings.route(request);
      if (typeof template === 'string' && template !== '') route = template;
    } catch {
      // A failing route function leaves the request unmatched; it never fails the request.
    }
  }
  const attributes: HttpServerRequestAttributes = {
    method: request.method,
    url,
    scheme: (request.socket as { encrypted?: boolean } | null)?.encrypted ? 'https' : 'http',
    headers,
    route,
    requestBytes: byteLength(headers['content-length']),
  };
  // The run starts under a root of its own, made current first: the accepted connection may carry
  // the async context the server listened in, and a request is no child of that (nor of its span).
  const run = new Request(correlationId, request, response, settings);
  runInContext(createTrustedContext(correlationId, undefined, RUN, run.slot), () =>
    httpServerRequest.start(attributes, (scope) => {
      run.scope = scope;
      (request as Tracked)[RUN] = run;
      // A response whose `req` is another object (not one node:http made) still ends its run.
      if (response.req === request) {
        response.on('finish', onFinish);
        response.on('close', onClose);
      } else {
        response.once('finish', () => run.finish());
        response.once('close', () => run.close());
      }
      settings.deadlines?.add(run);
      handle(run);
    }),
  );
}
