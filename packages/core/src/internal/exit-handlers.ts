import { parseNumber, resolveOption } from '../env.js';
import { publishEndedRuns } from '../operations.js';

/** Something to flush before the process goes away (see `registerExitFlush`). */
export interface ExitFlusher {
  /** Name for diagnostics, e.g. `log:elasticsearch`, `trace`, `audit`. */
  readonly name: string;
  /** Writes out / exports what is pending; should settle within `timeoutMs`. */
  readonly flush: (timeoutMs: number) => Promise<void>;
  /** Deadline for this flusher in milliseconds (its package's `closeTimeoutMs`). */
  readonly timeoutMs: number;
  /**
   * Optional count of work accepted so far (lines, spans, records), never decreasing. A drained
   * event loop is flushed once; it is flushed again at a later drain only when the application
   * ran in between, which this count tells precisely (see `registerExitFlush`).
   */
  readonly received?: () => number;
}

/** Why the process is ending: a signal (SIGTERM, SIGINT) or a fatal error. */
export type ExitReason = 'signal' | 'fatal';

/** The registry every copy of @jts/core shares through `globalThis`. */
export interface ExitRegistry {
  readonly flushers: Set<ExitFlusher>;
  readonly listeners: Set<(reason: ExitReason) => void>;
  installed: boolean;
  exiting: ExitReason | undefined;
  /** The last drain was answered with a flush (so the next drain follows our own flush). */
  drainAnswered: boolean;
  readonly receivedAtDrain: Map<ExitFlusher, number>;
}

/** The process listeners of the registry, and how to remove them. */
export interface ExitHandlers {
  readonly onSignal: (signal: NodeJS.Signals) => void;
  readonly onUncaughtException: (error: unknown) => void;
  readonly onUnhandledRejection: (reason: unknown) => void;
  readonly onBeforeExit: () => void;
  readonly uninstall: () => void;
}

/** The signals the registry flushes on before letting them end the process. */
export const EXIT_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** Default of `JTS_FATAL_FLUSH_WINDOW_MS`: how long a fatal error leaves the process running to flush. */
export const FATAL_FLUSH_WINDOW_MS = 1000;

// Read when the error happens, so a value set after start-up (tests, a supervisor) applies.
const fatalWindowMs = () =>
  resolveOption({
    name: 'fatal flush window',
    option: undefined,
    env: 'JTS_FATAL_FLUSH_WINDOW_MS',
    parse: parseNumber({ min: 0, integer: true }),
    default: FATAL_FLUSH_WINDOW_MS,
  });

/** Builds the one set of process listeners over `registry`. */
export function createExitHandlers(registry: ExitRegistry): ExitHandlers {
  const enter = (reason: ExitReason) => {
    registry.exiting = reason;
    for (const listener of [...registry.listeners]) {
      try {
        listener(reason);
      } catch {
        // A listener's failure must not keep the other listeners or the flush from running.
      }
    }
  };
  const flushAll = (windowMs?: number) => {
    // Runs ended in this turn reach the signals first, so the flush takes their lines and spans.
    publishEndedRuns();
    // Snapshot first: a flusher may unregister itself while it flushes.
    const flushers = [...registry.flushers];
    const budget = (flusher: ExitFlusher) =>
      windowMs === undefined ? flusher.timeoutMs : Math.min(flusher.timeoutMs, windowMs);
    const deadline = Math.max(0, ...flushers.map(budget));
    const all = Promise.all(
      flushers.map((flusher) =>
        Promise.resolve()
          .then(() => flusher.flush(budget(flusher)))
          .catch(() => undefined),
      ),
    );
    // The overall deadline also bounds a flusher that ignores its own; this timer is referenced,
    // so the process stays alive until the flush is done or the deadline has passed.
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadline + 250);
    });
    return Promise.race([all.then(() => undefined), limit]).finally(() => clearTimeout(timer));
  };
  const uninstall = () => {
    if (!registry.installed) return;
    registry.installed = false;
    for (const signal of EXIT_SIGNALS) process.off(signal, handlers.onSignal);
    process.off('uncaughtException', handlers.onUncaughtException);
    process.off('unhandledRejection', handlers.onUnhandledRejection);
    process.off('beforeExit', handlers.onBeforeExit);
  };
  const reraise = (signal: NodeJS.Signals) => {
    uninstall();
    process.kill(process.pid, signal);
  };
  const handlers: ExitHandlers = {
    uninstall,
    onSignal(signal) {
      const alone = process.listenerCount(signal) === 1;
      if (registry.exiting !== undefined) {
        // A second signal while flushing: stop waiting and let it take its default course.
        if (alone) reraise(signal);
        return;
      }
      enter('signal');
      void flushAll().then(() => {
        if (alone && process.listenerCount(signal) === 1) reraise(signal);
        // The application's own handler decides; if the process goes on, it is no longer exiting.
        else registry.exiting = undefined;
      });
    },
    onUncaughtException(error) {
      const alone = process.listenerCount('uncaughtException') === 1;
      const rethrow = () => {
        if (!alone) return;
        uninstall();
        // Thrown outside the promise chain with no listener left: Node prints it and exits with 1.
        process.nextTick(() => {
          throw error;
        });
      };
      if (registry.exiting === 'fatal') return; // the first fatal error is already being handled
      enter('fatal');
      const windowMs = fatalWindowMs();
      if (windowMs === 0) {
        rethrow();
        return;
      }
      void flushAll(windowMs).then(() => {
        if (alone) rethrow();
        else registry.exiting = undefined;
      });
    },
    onUnhandledRejection(reason) {
      if (process.listenerCount('unhandledRejection') !== 1) {
        // The application's listener makes the rejection non-fatal: flush, but nothing ends.
        void flushAll(fatalWindowMs());
        return;
      }
      handlers.onUncaughtException(
        reason instanceof Error
          ? reason
          : Object.assign(new Error(`Unhandled promise rejection with reason: ${String(reason).slice(0, 200)}`), {
              code: 'ERR_UNHANDLED_REJECTION',
            }),
      );
    },
    onBeforeExit() {
      if (registry.exiting !== undefined) return;
      // The loop ran dry. Flushing keeps it alive, so another drain follows our own flush: answer
      // that one only if some flusher says work arrived meanwhile (from a beforeExit listener).
      let moved = false;
      for (const flusher of registry.flushers) {
        if (flusher.received !== undefined && flusher.received() !== registry.receivedAtDrain.get(flusher))
          moved = true;
      }
      if (registry.drainAnswered && !moved) {
        registry.drainAnswered = false;
        return;
      }
      registry.drainAnswered = true;
      for (const flusher of registry.flushers) {
        if (flusher.received !== undefined) registry.receivedAtDrain.set(flusher, flusher.received());
      }
      void flushAll();
    },
  };
  return handlers;
}
