import { publishEndedRuns, withDeadline } from '@jts/core/internal';
import type { Logger } from 'pino';
import type { LineCounters, LoggerStats } from '../logger-stats.js';
import type { ShippingDestination } from './elasticsearch-wiring.js';
import type { GuardedDestination } from './safe-destination.js';

/** What the controls act on. */
export interface ControlledParts {
  readonly counters: LineCounters;
  readonly parts: readonly GuardedDestination[];
  readonly elasticsearch: ShippingDestination | undefined;
  readonly unsubscribe: () => void;
  readonly unregisterExit: () => void;
  /** Default deadline of `flush()` and `close()` (the `closeTimeoutMs` option). */
  readonly closeTimeoutMs: number;
}

const flushPart = (part: GuardedDestination) => new Promise<void>((resolve) => part.flush(() => resolve()));
const endPart = (part: GuardedDestination) => new Promise<void>((resolve) => part.end(resolve));

/**
 * Adds `stats()`, promise-based `flush()` and `close()` to a pino logger. Child loggers inherit
 * them through pino's prototype chain.
 *
 * @param logger - the root logger
 * @param controlled - counters, destinations, shipper and subscriptions
 * @returns the same logger, extended
 */
export function createLoggerControls<L extends Logger>(
  logger: L,
  controlled: ControlledParts,
): L & {
  stats(): LoggerStats;
  flush(callbackOrTimeout?: number | ((error?: Error) => void)): Promise<void>;
  close(timeoutMs?: number): Promise<void>;
} {
  const { counters, parts, elasticsearch, closeTimeoutMs } = controlled;
  let closing: Promise<void> | undefined;

  async function flush(callbackOrTimeout?: number | ((error?: Error) => void)): Promise<void> {
    const timeoutMs = typeof callbackOrTimeout === 'number' ? callbackOrTimeout : closeTimeoutMs;
    // The lines of runs ended in this turn are written now, not at its end (core's endWithTurn).
    publishEndedRuns();
    await withDeadline(Promise.all([...parts.map(flushPart), elasticsearch?.flush(timeoutMs)]), timeoutMs);
    if (typeof callbackOrTimeout === 'function') callbackOrTimeout();
  }

  // One deadline for the whole close: flushing first, then ending the destinations in what is left.
  function close(timeoutMs = closeTimeoutMs): Promise<void> {
    closing ??= (async () => {
      const deadline = Date.now() + timeoutMs;
      publishEndedRuns();
      controlled.unsubscribe();
      controlled.unregisterExit();
      await withDeadline(Promise.all(parts.map(flushPart)), timeoutMs);
      const left = Math.max(0, deadline - Date.now());
      await withDeadline(Promise.all([...parts.map(endPart), elasticsearch?.close(left)]), left);
    })();
    return closing;
  }

  return Object.assign(logger, {
    stats: () => counters.snapshot(elasticsearch?.stats()),
    flush,
    close,
  });
}
