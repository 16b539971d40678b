import { withDeadline } from '@jts/core/internal';
import type { Logger } from 'pino';
import type { ElasticsearchDestination } from '../elasticsearch/index.js';
import type { LineCounters, LoggerStats } from '../logger-stats.js';
import type { GuardedDestination } from './safe-destination.js';

/** What the controls act on. */
export interface ControlledParts {
  readonly counters: LineCounters;
  readonly parts: readonly GuardedDestination[];
  readonly elasticsearch: ElasticsearchDestination | undefined;
  readonly unsubscribe: () => void;
  readonly unregisterExit: () => void;
}

const DEFAULT_TIMEOUT_MS = 5000;

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
export function createLoggerControls<L extends Logger>(logger: L, controlled: ControlledParts): L & {
  stats(): LoggerStats;
  flush(callbackOrTimeout?: number | ((error?: Error) => void)): Promise<void>;
  close(timeoutMs?: number): Promise<void>;
} {
  const { counters, parts, elasticsearch } = controlled;
  let closing: Promise<void> | undefined;

  async function flush(callbackOrTimeout?: number | ((error?: Error) => void)): Promise<void> {
    const timeoutMs = typeof callbackOrTimeout === 'number' ? callbackOrTimeout : DEFAULT_TIMEOUT_MS;
    await withDeadline(
      Promise.all([...parts.map(flushPart), elasticsearch?.flush(timeoutMs)]),
      timeoutMs,
    );
    if (typeof callbackOrTimeout === 'function') callbackOrTimeout();
  }

  function close(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    closing ??= (async () => {
      controlled.unsubscribe();
      controlled.unregisterExit();
      await withDeadline(Promise.all(parts.map(flushPart)), timeoutMs);
      await withDeadline(Promise.all([...parts.map(endPart), elasticsearch?.close(timeoutMs)]), timeoutMs);
    })();
    return closing;
  }

  return Object.assign(logger, {
    stats: () => counters.snapshot(elasticsearch?.stats()),
    flush,
    close,
  });
}
