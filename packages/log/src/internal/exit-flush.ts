import { publishEndedRuns, registerExitFlush as registerProcessExitFlush } from '@jts/core/internal';

/**
 * Flushes the logger's buffered destinations before the process goes away: synchronously on the
 * `exit` event (reached by `process.exit()` and after a fatal error), and through core's shared
 * exit registry on SIGTERM / SIGINT / uncaught exception / unhandled rejection, where Node would
 * otherwise end the process without an `exit` event. Sharing core's one set of process listeners
 * with the Elasticsearch shipper and the tracer means the signal is still re-raised afterwards.
 *
 * @param flush - writes out what is buffered, synchronously
 * @param timeoutMs - the logger's `closeTimeoutMs`: this flusher's deadline in the exit registry
 * @returns unregisters the flush
 */
export function registerExitFlush(flush: () => void, timeoutMs: number): () => void {
  const safeFlush = () => {
    try {
      // Runs ended in this turn first (core's endWithTurn): their lines are part of what is left.
      publishEndedRuns();
      flush();
    } catch {
      // A failing destination must not keep the process from ending.
    }
  };
  process.on('exit', safeFlush);
  const unregisterSignals = registerProcessExitFlush({ name: 'log', timeoutMs, flush: async () => safeFlush() });
  return () => {
    process.removeListener('exit', safeFlush);
    unregisterSignals();
  };
}
