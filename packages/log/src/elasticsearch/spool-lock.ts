import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JtsError } from '@jts/core';

const heldByThisProcess = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates the spool directory and takes its lock file, so two processes never append to (and
 * checkpoint) the same spool. A lock left by a process that no longer runs is taken over.
 *
 * @param dir - the spool directory of one service + namespace
 * @returns a function releasing the lock
 * @throws JtsError `JTS_ERR_DESTINATION_UNAVAILABLE` when the directory cannot be created or written
 * @throws JtsError `JTS_ERR_SPOOL_LOCKED` when another live process (or destination) holds it
 */
export function acquireSpoolLock(dir: string): () => void {
  const lockPath = join(dir, 'lock');
  if (heldByThisProcess.has(dir)) {
    throw new JtsError('JTS_ERR_SPOOL_LOCKED', `Spool directory ${dir} is already used by another Elasticsearch destination of this process; give each its own spoolDir (or JTS_LOG_SPOOL_DIR)`);
  }
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new JtsError('JTS_ERR_DESTINATION_UNAVAILABLE', `Cannot create the log spool in ${dir} (${(error as Error).message}); set spoolDir or JTS_LOG_SPOOL_DIR to a writable directory`, { cause: error });
    }
    const owner = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    if (Number.isSafeInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new JtsError('JTS_ERR_SPOOL_LOCKED', `Spool directory ${dir} is locked by running process ${owner}; give each process its own spoolDir (or JTS_LOG_SPOOL_DIR)`);
    }
    writeFileSync(lockPath, `${process.pid}\n`);
  }
  heldByThisProcess.add(dir);
  return () => {
    if (!heldByThisProcess.delete(dir)) return;
    try {
      if (Number.parseInt(readFileSync(lockPath, 'utf8'), 10) === process.pid) rmSync(lockPath, { force: true });
    } catch {
      // Already gone.
    }
  };
}
