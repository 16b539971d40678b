import type { HttpStats } from '@jts/core';

// The shape lives in @jts/core, where @jts/metrics binds its self-metrics to it by type.
export type { HttpStats };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The shared counters (internal: adapters increment them). */
export const httpCounters: Mutable<HttpStats> = {
  requests: 0,
  excluded: 0,
  aborted: 0,
  timedOut: 0,
  lateResponses: 0,
  handlerErrors: 0,
  refused: 0,
};

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
