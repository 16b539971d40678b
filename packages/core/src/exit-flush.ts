/**
 * One process-wide registry of "flush before the process goes away" hooks for every JTS package
 * (log destinations, the trace exporter, the audit trail). Each package registering its own
 * SIGTERM listener would make every one of them see "another listener exists" and none would
 * re-raise the signal: the process would never exit. One set of listeners, shared through
 * `globalThis` by every installed copy of @jts/core, avoids that.
 */
import {
  EXIT_SIGNALS,
  type ExitFlusher,
  type ExitHandlers,
  type ExitReason,
  type ExitRegistry,
  createExitHandlers,
} from './internal/exit-handlers.js';

export type { ExitFlusher, ExitReason };

// v2: the registry gained the exiting reason, its listeners and the drain bookkeeping.
const REGISTRY_KEY = Symbol.for('jts.core.exit-flush.v2');
type GlobalWithRegistry = typeof globalThis & { [REGISTRY_KEY]?: { registry: ExitRegistry; handlers: ExitHandlers } };

const shared = ((globalThis as GlobalWithRegistry)[REGISTRY_KEY] ??= (() => {
  const registry: ExitRegistry = {
    flushers: new Set(),
    listeners: new Set(),
    installed: false,
    exiting: undefined,
    drainAnswered: false,
    receivedAtDrain: new Map(),
  };
  return { registry, handlers: createExitHandlers(registry) };
})());

// Node's default for unhandled rejections is `throw`: only then is one fatal and worth a
// flush-then-rethrow. Under `warn`, `none` or `strict` rejections are left alone.
function rejectionsAreFatal(): boolean {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const mode = flags.find((flag) => flag.startsWith('--unhandled-rejections='))?.split('=')[1];
  return mode === undefined || mode === 'throw';
}

/**
 * Flushes `flusher` before the process ends, then lets it end the way it would have without us:
 * - SIGTERM / SIGINT: every flusher within its own deadline, then the signal is raised again
 *   (exit by signal);
 * - an uncaught exception or a fatal unhandled rejection: every flusher within the fatal flush
 *   window (`JTS_FATAL_FLUSH_WINDOW_MS`, default 1000 ms, `0` = no asynchronous flush), then the
 *   error is thrown again (exit code 1). The window is short on purpose: the process keeps running
 *   its timers and accepting connections while it flushes, in a state nobody planned for;
 *   {@link isExiting} lets adapters answer 503 meanwhile;
 * - a drained event loop (`beforeExit`): every flusher once; again at a later drain only when a
 *   flusher's `received()` count moved since (work done in a `beforeExit` listener), since the
 *   drain right after our own flush has nothing new otherwise;
 * - `process.exit()`: nothing asynchronous can run; only `exit` listeners (synchronous) do.
 * When the application has its own listener for the signal or error, we only flush and leave
 * the decision to it. One set of process listeners serves every flusher of every JTS package.
 *
 * @param flusher - name, flush function, deadline and optional received-work count
 * @returns a function that unregisters (removing the listeners after the last flusher)
 * @example
 * const unregister = registerExitFlush({ name: 'trace', timeoutMs: 5000, flush: () => provider.forceFlush() });
 */
export function registerExitFlush(flusher: ExitFlusher): () => void {
  const { registry, handlers } = shared;
  registry.flushers.add(flusher);
  if (!registry.installed) {
    registry.installed = true;
    for (const signal of EXIT_SIGNALS) process.on(signal, handlers.onSignal);
    process.on('uncaughtException', handlers.onUncaughtException);
    if (rejectionsAreFatal()) process.on('unhandledRejection', handlers.onUnhandledRejection);
    process.on('beforeExit', handlers.onBeforeExit);
  }
  return () => {
    registry.flushers.delete(flusher);
    registry.receivedAtDrain.delete(flusher);
    if (registry.flushers.size === 0 && registry.exiting === undefined) handlers.uninstall();
  };
}

/**
 * Whether the process is ending: a SIGTERM/SIGINT or a fatal error arrived and the exit registry
 * is flushing before the process goes away. HTTP adapters answer new requests with 503 meanwhile.
 * Stays false when no flusher is registered (nothing listens then).
 *
 * @returns true while exiting
 * @example
 * if (isExiting()) { response.writeHead(503, { connection: 'close', 'retry-after': '1' }).end(); return; }
 */
export function isExiting(): boolean {
  return shared.registry.exiting !== undefined;
}

/**
 * Calls `listener` once the process starts ending (signal or fatal error), before the flush, for
 * example to stop accepting connections. A listener that throws is ignored.
 *
 * @param listener - receives the reason
 * @returns a function that removes the listener
 * @example
 * const stop = onExiting(() => server.closeIdleConnections());
 */
export function onExiting(listener: (reason: ExitReason) => void): () => void {
  shared.registry.listeners.add(listener);
  return () => {
    shared.registry.listeners.delete(listener);
  };
}
