/**
 * Requests served in process, without sockets or a load generator, for the adapters' in-process
 * suites (packages/http/bench, packages/express/bench): every request is new, a real
 * IncomingMessage and ServerResponse (node:http's own classes, no socket: the response is
 * buffered); after the listener returns, `finish` then `close` are emitted as node:http does once
 * the response is written. A batch serves {@link PER_CALL} requests, then waits one event-loop turn
 * (log writes and span exports happen there): one after another ({@link batch}), or all in flight
 * together before any finishes ({@link batchInFlight}), as under load.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { startJtsSignals } from './jts-signals.js';
import { orderBody, orderIdOf } from './serve.js';

/** A `node:http` request listener (an Express app is one). */
export type Listener = (request: IncomingMessage, response: ServerResponse) => void;

/** Requests per benchmark call. */
export const PER_CALL = 20;

/** Interleaved rounds of the in-process suites (see `rounds` in bench/harness.ts). */
export const ROUNDS = 8;

/** How the in-process suites are run, for their descriptions. */
export const ROUNDS_TEXT = `The cases run in ${ROUNDS} interleaved rounds (the order rotating each round): ns/op is the median of a case's round means, ± % the spread of those means (max - min, in % of the median); × baseline is the median of the case's ratios to the baseline measured in the same round (paired ratios, their range beside it), since on a shared machine cases measured one after another compare moments more than code. Until 2026-12-07 × baseline was the ratio of the two medians.`;

/** The raw listener of the in-process suites: the order's small JSON body with `setHeader` and `end`. */
export const orderHandler: Listener = (request, response) => {
  response.setHeader('content-type', 'application/json');
  response.end(orderBody(orderIdOf(request.url) ?? ''));
};

const socket = new Socket();
let sequence = 0;

/** A new request (as autocannon sends it) and its response, handed to the listener. */
function startOne(listener: Listener): ServerResponse {
  const request = new IncomingMessage(socket);
  request.method = 'GET';
  request.url = `/orders/${sequence++}`;
  request.headers = { host: '127.0.0.1:8080', 'user-agent': 'autocannon', connection: 'keep-alive' };
  const response = new ServerResponse(request);
  listener(request, response);
  return response;
}

/** What node:http emits once a response is written, then its connection's request is done. */
function finishOne(response: ServerResponse): void {
  response.emit('finish');
  response.emit('close');
}

function serveOne(listener: Listener): void {
  finishOne(startOne(listener));
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A benchmark function serving {@link PER_CALL} new requests through a listener, then one turn.
 *
 * @param listener - gives the listener at call time (a case's setup may create it)
 * @returns the function to measure
 */
export function batch(listener: () => Listener): () => Promise<void> {
  return async () => {
    const served = listener();
    for (let index = 0; index < PER_CALL; index++) serveOne(served);
    await turn();
  };
}

/**
 * Like {@link batch}, with the {@link PER_CALL} requests of a call in flight together, as a server
 * under load has them: every request is started (its listener runs and answers), then each
 * response gets `finish` and `close`, in the order the requests came, then one turn. Code that
 * keeps only the last value it saw (a request's context, its span, its correlation ID) meets
 * another request's on every access, as under load.
 *
 * @param listener - gives the listener at call time
 * @returns the function to measure
 */
export function batchInFlight(listener: () => Listener): () => Promise<void> {
  return async () => {
    const served = listener();
    const open: ServerResponse[] = [];
    for (let index = 0; index < PER_CALL; index++) open.push(startOne(served));
    for (const response of open) finishOne(response);
    await turn();
  };
}

/**
 * The full JTS signals of a case (startJtsSignals: an access line to a file in `directory`, the
 * request metrics, a sampled server span to a discarding exporter), created on the first call
 * only: tinybench runs every case's setup before its warm-up and again before its run.
 *
 * @param directory - where the log file goes
 * @returns the setup function, and a function that closes what it created
 */
export function signalsSetupIn(directory: string): { setup: () => void; close: () => Promise<unknown> } {
  let stop: (() => Promise<void>) | undefined;
  return {
    setup: () => {
      stop ??= startJtsSignals(join(directory, 'jts.log'));
    },
    close: async () => stop?.(),
  };
}
