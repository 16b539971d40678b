import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { JtsError, isJtsError, reportDiagnostic } from '@jts/core';
import { acquireLockFile } from '@jts/core/internal';

/**
 * Creates the spool directory and takes its lock file (`<dir>/lock`, core's `acquireLockFile`),
 * so two writers never append to (and checkpoint) the same spool. A lock whose holder is gone is
 * taken over: at once when it was on this host (process not running, pid reused, host restarted),
 * otherwise once it has not been refreshed for 30 s. The takeover and a lost lock are reported on
 * the `jts:diagnostics` channel.
 *
 * @param dir - the spool directory of one service + namespace
 * @returns a function releasing the lock
 * @throws JtsError `JTS_ERR_DESTINATION_UNAVAILABLE` when the directory cannot be created or written
 * @throws JtsError `JTS_ERR_SPOOL_LOCKED` when another writer (process, or destination of this one) holds it
 */
export function acquireSpoolLock(dir: string): () => void {
  try {
    mkdirSync(dir, { recursive: true });
    const lock = acquireLockFile({
      path: join(dir, 'lock'),
      subject: `The log spool ${dir}`,
      code: 'JTS_ERR_SPOOL_LOCKED',
      hint: 'two writers would corrupt it. Give each process (and each Elasticsearch destination) its own spoolDir (or JTS_LOG_SPOOL_DIR), or another namespace.',
      onLost: (why) =>
        reportDiagnostic({
          source: 'log',
          event: 'spool_lock_lost',
          message: `the lock of the log spool ${dir} is no longer this process's (${why})`,
        }),
    });
    if (lock.takeover) {
      reportDiagnostic({
        source: 'log',
        event: 'spool_lock_taken_over',
        message: `took over the lock of the log spool ${dir}: ${lock.takeover.reason}`,
      });
    }
    return () => lock.release();
  } catch (error) {
    if (isJtsError(error)) throw error;
    throw new JtsError(
      'JTS_ERR_DESTINATION_UNAVAILABLE',
      `Cannot create the log spool in ${dir} (${(error as Error).message}); set spoolDir or JTS_LOG_SPOOL_DIR to a writable directory`,
      { cause: error },
    );
  }
}
