import type { LogShippingStats } from '@jts/core';
/**
 * Self-metrics of the Elasticsearch shipper: `LogShippingStats` of `@jts/core`, where `@jts/metrics`
 * binds them by type. Counters are monotonic since the destination was created.
 */
export type ShippingStats = LogShippingStats;

/** Slots of the shared counter array, written by the worker and read by `stats()`. */
export const COUNTER = {
  received: 0,
  shipped: 1,
  retried: 2,
  spooledBytes: 3,
  deadLettered: 4,
  dropped: 5,
  failedRequests: 6,
  shipperHeapUsedBytes: 7,
  spoolSyncs: 8,
} as const;

/** Name of one numeric counter of {@link ShippingStats}. */
export type CounterName = keyof typeof COUNTER;

const SLOTS = Object.keys(COUNTER).length;

/**
 * Allocates the counters shared between the main thread and the shipper's worker thread.
 *
 * @returns a SharedArrayBuffer holding one 64-bit slot per counter
 */
export function createCounterBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(SLOTS * BigInt64Array.BYTES_PER_ELEMENT);
}

/**
 * Reads a snapshot of the counters: synchronous, a handful of atomic loads.
 *
 * @param buffer - the buffer from {@link createCounterBuffer}
 * @param lastError - the last error message the worker reported
 * @returns the stats object
 */
export function readStats(buffer: SharedArrayBuffer, lastError: string | undefined): ShippingStats {
  const view = new BigInt64Array(buffer);
  const read = (slot: number) => Number(Atomics.load(view, slot));
  return {
    received: read(COUNTER.received),
    shipped: read(COUNTER.shipped),
    retried: read(COUNTER.retried),
    spooledBytes: read(COUNTER.spooledBytes),
    deadLettered: read(COUNTER.deadLettered),
    dropped: read(COUNTER.dropped),
    failedRequests: read(COUNTER.failedRequests),
    shipperHeapUsedBytes: read(COUNTER.shipperHeapUsedBytes),
    spoolSyncs: read(COUNTER.spoolSyncs),
    lastError,
  };
}

/** Worker-side counters: plain numbers, published to the shared buffer with {@link Counters.publish}. */
export interface Counters {
  add(name: CounterName, amount: number): void;
  set(name: CounterName, value: number): void;
  get(name: CounterName): number;
  /** Copies every counter into the shared buffer (cheap; called after each batch and chunk). */
  publish(): void;
}

/**
 * Creates the worker-side counters over a shared buffer.
 *
 * @param buffer - shared buffer from the main thread (or a fresh one in tests)
 * @returns the counters
 */
export function createCounters(buffer: SharedArrayBuffer = createCounterBuffer()): Counters {
  const view = new BigInt64Array(buffer);
  const values = new Float64Array(SLOTS);
  return {
    add: (name, amount) => {
      values[COUNTER[name]]! += amount;
    },
    set: (name, value) => {
      values[COUNTER[name]] = value;
    },
    get: (name) => values[COUNTER[name]]!,
    publish: () => {
      for (let slot = 0; slot < SLOTS; slot++) Atomics.store(view, slot, BigInt(Math.trunc(values[slot]!)));
    },
  };
}
