/** Counters of the HTTP adapters, process-wide (every instrumented handler adds to them). */
export interface HttpStats {
  /** Requests observed as `http.server.request` runs. */
  readonly requests: number;
  /** Requests skipped by the exclusion rules (no span, no line, no series). */
  readonly excluded: number;
  /** Requests whose client went away before the response ended (outcome `aborted`). */
  readonly aborted: number;
  /** Requests closed out by `requestTimeoutMs` (outcome `timeout`). */
  readonly timedOut: number;
  /** Responses that ended after their request had been closed out by the timeout. */
  readonly lateResponses: number;
  /** Handler errors the adapter answered with a 500 (or a destroyed socket when headers were out). */
  readonly handlerErrors: number;
  /** Requests answered with 503 because the process was ending (`refuseWhileExiting`). */
  readonly refused: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The shared counters (internal: adapters increment them). */
export const httpCounters: Mutable<HttpStats> = { requests: 0, excluded: 0, aborted: 0, timedOut: 0, lateResponses: 0, handlerErrors: 0, refused: 0 };

/**
 * A snapshot of the HTTP adapters' counters.
 *
 * @returns the counters of every adapter in this process
 * @example
 * httpStats().timedOut; // responses closed out by requestTimeoutMs
 */
export function httpStats(): HttpStats {
  return { ...httpCounters };
}
