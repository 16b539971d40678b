import { createHash } from 'node:crypto';
import { open, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { JtsError } from '@jts/core';
import { listTrailFiles } from './internal/trail-files.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Options of {@link archiveAuditFile}. */
export interface ArchiveAuditFileOptions {
  /** Checksum manifest (`sha256sum -c` format). Default `SHA256SUMS` in the file's directory. */
  readonly manifest?: string;
  /** Remove the original once the archive is durable and checked. Default true. */
  readonly removeOriginal?: boolean;
  /** Allow archiving the newest file of the trail (only once the trail is closed). Default false. */
  readonly includeNewest?: boolean;
}

/** What {@link archiveAuditFile} produced. */
export interface ArchivedAuditFile {
  readonly archive: string;
  /** SHA-256 of the `.gz` file (as listed in the manifest). */
  readonly sha256: string;
  /** SHA-256 of the uncompressed content. */
  readonly contentSha256: string;
  readonly manifest: string;
}

async function writeDurably(path: string, data: Buffer, flag: 'wx' | 'a'): Promise<void> {
  const handle = await open(path, flag, 0o640);
  try {
    await handle.write(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Archives one closed trail file: gzip to `<file>.gz` (checked by decompressing it again),
 * SHA-256 of the archive appended to a `sha256sum`-compatible manifest, original removed. The
 * content is unchanged, so the chain still links across archived and live files and
 * `verifyAuditTrail` / `jts-audit verify` read `.gz` files directly.
 *
 * @param path - a trail file (`<prefix>-<day>.<index>.jsonl`), not the one being written
 * @param options - manifest location, whether to remove the original
 * @returns archive path and checksums
 * @throws JtsError `JTS_ERR_INVALID_ARGUMENT` for the newest (active) file; `JTS_ERR_AUDIT_ARCHIVE_FAILED` when the archive cannot be written or does not read back identically
 * @example
 * await archiveAuditFile('/var/lib/jts/audit/audit-2026-01-02.000001.jsonl');
 */
export async function archiveAuditFile(
  path: string,
  options: ArchiveAuditFileOptions = {},
): Promise<ArchivedAuditFile> {
  const directory = dirname(path);
  const name = basename(path);
  const files = listTrailFiles(directory);
  const index = files.findIndex((file) => file.name === name);
  if (index === -1) throw new JtsError('JTS_ERR_INVALID_ARGUMENT', `archiveAuditFile: ${path} is not a trail file`);
  if (index === files.length - 1 && !options.includeNewest) {
    throw new JtsError(
      'JTS_ERR_INVALID_ARGUMENT',
      `archiveAuditFile: ${name} is the newest file of the trail and may still be written; pass includeNewest after close()`,
    );
  }
  const manifest = options.manifest ?? join(directory, 'SHA256SUMS');
  const archive = `${path}.gz`;
  try {
    const content = await readFile(path);
    const compressed = await gzipAsync(content, { level: 9 });
    if (!(await gunzipAsync(compressed)).equals(content))
      throw new Error('compressed content does not read back identically');
    await writeDurably(archive, compressed, 'wx');
    const sha256 = createHash('sha256').update(compressed).digest('hex');
    await writeDurably(manifest, Buffer.from(`${sha256}  ${basename(archive)}\n`), 'a');
    if (options.removeOriginal ?? true) await rm(path);
    return { archive, sha256, contentSha256: createHash('sha256').update(content).digest('hex'), manifest };
  } catch (error) {
    throw new JtsError(
      'JTS_ERR_AUDIT_ARCHIVE_FAILED',
      `archiveAuditFile: cannot archive ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
