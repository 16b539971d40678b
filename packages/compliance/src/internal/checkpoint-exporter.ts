import { open } from 'node:fs/promises';
import { reportDiagnostic } from '@jts/core';
import type { AuditCheckpoint } from '../checkpoint.js';

/**
 * Hands each durable checkpoint to the user's callback and appends it (fdatasync'd) to the
 * external checkpoint file, in order. Failures are counted and reported, never thrown: the
 * records themselves are already durable.
 */
export function createCheckpointExporter(
  file: string | undefined,
  callback: ((checkpoint: AuditCheckpoint) => void) | undefined,
  counters: { checkpointExportFailures: number },
) {
  let chain: Promise<void> = Promise.resolve();
  const failed = (event: string, error: unknown) => {
    counters.checkpointExportFailures += 1;
    reportDiagnostic({ source: 'compliance', event, error });
  };
  return {
    export(checkpoint: AuditCheckpoint): void {
      if (callback) {
        try {
          callback(checkpoint);
        } catch (error) {
          failed('on_checkpoint_failed', error);
        }
      }
      if (file === undefined) return;
      chain = chain.then(async () => {
        try {
          const handle = await open(file, 'a', 0o640);
          try {
            await handle.write(`${JSON.stringify(checkpoint)}\n`);
            await handle.datasync();
          } finally {
            await handle.close();
          }
        } catch (error) {
          failed('checkpoint_file_failed', error);
        }
      });
    },
    flush(): Promise<void> {
      return chain;
    },
  };
}
