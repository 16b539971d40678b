import { close, fdatasync, fsync, ftruncate, open, write } from 'node:fs';
import { promisify } from 'node:util';

/**
 * The file operations the audit trail's writer uses after setup, as a replaceable layer: pass
 * your own (for example one that wraps these and injects failures) through the
 * `fileSystem` option. Every method rejects on failure; the writer then rejects the affected
 * records with `JTS_ERR_AUDIT_NOT_DURABLE`.
 */
export interface AuditFileSystem {
  /** Opens (creating if needed) a file for appending; resolves to a file descriptor. */
  open(path: string): Promise<number>;
  /** Writes all of `data` at the end of the file. */
  write(fd: number, data: Buffer): Promise<void>;
  /** Makes written data durable (`fdatasync`). */
  datasync(fd: number): Promise<void>;
  /** Cuts the file back to `length` bytes (used to undo a write that was not made durable). */
  truncate(fd: number, length: number): Promise<void>;
  /** Closes a descriptor. */
  close(fd: number): Promise<void>;
  /** Makes a new directory entry durable (`fsync` on the directory). */
  syncDirectory(path: string): Promise<void>;
}

const openAsync = promisify(open);
const writeAsync = promisify(write);
const datasyncAsync = promisify(fdatasync);
const fsyncAsync = promisify(fsync);
const truncateAsync = promisify(ftruncate);
const closeAsync = promisify(close);

/**
 * The default layer on `node:fs` (append mode, `fdatasync`, directory `fsync`).
 *
 * @example
 * const failing = { ...nodeAuditFileSystem, datasync: async () => { throw new Error('EIO'); } };
 */
export const nodeAuditFileSystem: AuditFileSystem = Object.freeze({
  open: (path: string) => openAsync(path, 'a', 0o640),
  async write(fd: number, data: Buffer) {
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await writeAsync(fd, data, offset, data.length - offset, null);
      offset += bytesWritten;
    }
  },
  datasync: (fd: number) => datasyncAsync(fd),
  truncate: (fd: number, length: number) => truncateAsync(fd, length),
  close: (fd: number) => closeAsync(fd),
  async syncDirectory(path: string) {
    const fd = await openAsync(path, 'r');
    try {
      await fsyncAsync(fd);
    } finally {
      await closeAsync(fd);
    }
  },
});
