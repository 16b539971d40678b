import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { JtsError } from '@jts/core';

/**
 * Makes sure the external checkpoint copy can be written before the trail accepts a record: its
 * directory is created if missing and the file is opened for appending (and created, empty). The
 * guide calls this copy the defence against truncation, so a path that cannot be written is a
 * setup error, never a trail that silently writes no copy.
 *
 * @param path - the `checkpointFile` option
 * @throws JtsError `JTS_ERR_DESTINATION_UNAVAILABLE` naming the option and its variable
 */
export function prepareCheckpointFile(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    closeSync(openSync(path, 'a', 0o640));
  } catch (error) {
    throw new JtsError(
      'JTS_ERR_DESTINATION_UNAVAILABLE',
      `createAuditTrail: cannot open checkpointFile ${path} (JTS_AUDIT_CHECKPOINT_FILE) for appending: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
