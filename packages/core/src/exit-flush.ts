/**
 * One process-wide registry of "flush before the process goes away" hooks for every JTS package
 * (log destinations, the trace exporter, the audit trail). Each package registering its own
 * SIGTERM listener would make every one of them see "another listener exists" and none would
 * re-raise the signal: the process would never exit. One set of listeners, shared through
 * `globalThis` by every installed copy of @jts/core, avoids that.
 */

/** Something to flush before exit, with its own deadline. */
export interface ExitFlusher {
  /** Name for diagnostics, e.g. `log:elasticsearch`, `trace`. */
  readonly name: string;
  /** Writes out / exports what is pending; should settle by `timeoutMs`. */
  readonly flush: (timeoutMs: number) => Promise<void>;
  /** Deadline for this flusher in milliseconds. */
  readonly timeoutMs: number;
  /**
   * Monotonic count of work received so far; when the event loop runs dry (`beforeExit`) a flush
   * runs only if some flusher's count moved since the last one. Omit to never flush on `beforeExit`.
   */
  readonly received?: () => number;
}

interface Registry {
  readonly flushers: Set<ExitFlusher>;
  installed: boolean;
  exiting: boolean;
  receivedAtLastBeforeExit: number;
}

const REGISTRY_KEY = Symbol.for('jts.core.exit-flush.v1');
type GlobalWithRegistry = typeof globalThis & { [REGISTRY_KEY]?: { registry: Registry; handlers: Handlers } };
interface Handlers {
  readonly onSignal: (signal: NodeJS.Signals) => void;
  readonly onUncaughtException: (error: unknown) => void;
  readonly onUnhandledRejection: (reason: unknown) => void;
  readonly onBeforeExit: () => void;
  readonly uninstall: () => void;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

function createHandlers(registry: Registry): Handlers {
  const flushAll = () => {
    // Snapshot first: a flusher may unregister itself while it flushes (a shutdown does).
    const flushers = [...registry.flushers];
    const deadline = Math.max(0, ...flushers.map((flusher) => flusher.timeoutMs));
    const all = Promise.all(flushers.map((flusher) => flusher.flush(flusher.timeoutMs).catch(() => undefined)));
    // The overall deadline also bounds a flusher that ignores its own timeout.
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadline + 250);
    });
    return Promise.race([all.then(() => undefined), limit]).finally(() => clearTimeout(timer));
  };
  const uninstall = () => {
    if (!registry.installed) return;
    registry.installed = false;
    for (const signal of SIGNALS) process.off(signal, handlers.onSignal);
    process.off('uncaughtException', handlers.onUncaughtException);
    process.off('unhandledRejection', handlers.onUnhandledRejection);
    process.off('beforeExit', handlers.onBeforeExit);
  };
  const reraise = (signal: NodeJS.Signals) => {
    uninstall();
    process.kill(process.pid, signal);
  };
  const handlers: Handlers = {
    uninstall,
    onSignal(signal) {
      const alone = process.listenerCount(signal) === 1;
      if (registry.exiting) {
        // A second signal while flushing: stop waiting and let it take its default course.
        if (alone) reraise(signal);
        return;
      }
      registry.exiting = true;
      void flushAll().then(() => {
        registry.exiting = false;
        if (alone && process.listenerCount(signal) === 1) reraise(signal);
      });
    },
    onUncaughtException(error) {
      const alone = process.listenerCount('uncaughtException') === 1;
      registry.exiting = true;
      void flushAll().then(() => {
        if (!alone) return;
        uninstall();
        // Thrown outside the promise chain with no listener left: Node prints it and exits with 1.
        process.nextTick(() => {
          throw error;
        });
      });
    },
    onUnhandledRejection(reason) {
      if (process.listenerCount('unhandledRejection') !== 1) {
        void flushAll();
        return;
      }
      handlers.onUncaughtException(
        reason instanceof Error
          ? reason
          : Object.assign(new Error(`Unhandled promise rejection with reason: ${String(reason).slice(0, 200)}`), { code: 'ERR_UNHANDLED_REJECTION' }),
      );
    },
    onBeforeExit() {
      // The event loop ran dry: flush once if anything new arrived (the flush re-arms beforeExit).
      let received = 0;
      let tracked = false;
      for (const flusher of registry.flushers) {
        if (flusher.received) {
          tracked = true;
          received += flusher.received();
        }
      }
      if (!tracked || registry.exiting || received === registry.receivedAtLastBeforeExit) return;
      registry.receivedAtLastBeforeExit = received;
      void flushAll();
    },
  };
  return handlers;
}

const shared = ((globalThis as GlobalWithRegistry)[REGISTRY_KEY] ??= (() => {
  const registry: Registry = { flushers: new Set(), installed: false, exiting: false, receivedAtLastBeforeExit: -1 };
  return { registry, handlers: createHandlers(registry) };
})());

// Node's default for unhandled rejections is `throw`: only then is one fatal and worth a
// flush-then-rethrow. Under `warn`, `none` or `strict` rejections are left alone.
function rejectionsAreFatal(): boolean {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const mode = flags.find((flag) => flag.startsWith('--unhandled-rejections='))?.split('=')[1];
  return mode === undefined || mode === 'throw';
}

/**
 * Flushes `flusher` on SIGTERM, SIGINT, an uncaught exception, an unhandled rejection and when
 * the event loop runs dry, within its deadline, then lets the process end the way it would have
 * without us: the signal is raised again (exit by signal), the error thrown again (exit code 1).
 * When the application has its own listener for the event, we only flush and leave the decision
 * to it. One set of process listeners serves every flusher of every JTS package.
 *
 * @param flusher - name, flush function, deadline and optional received-work counter
 * @returns a function that unregisters (removing the listeners after the last flusher)
 * @example
 * const unregister = registerExitFlush({ name: 'trace', timeoutMs: 5000, flush: () => provider.forceFlush() });
 */
export function registerExitFlush(flusher: ExitFlusher): () => void {
  const { registry, handlers } = shared;
  registry.flushers.add(flusher);
  if (!registry.installed) {
    registry.installed = true;
    for (const signal of SIGNALS) process.on(signal, handlers.onSignal);
    process.on('uncaughtException', handlers.onUncaughtException);
    if (rejectionsAreFatal()) process.on('unhandledRejection', handlers.onUnhandledRejection);
    process.on('beforeExit', handlers.onBeforeExit);
  }
  return () => {
    registry.flushers.delete(flusher);
    if (registry.flushers.size === 0 && !registry.exiting) handlers.uninstall();
  };
}
