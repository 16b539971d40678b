import { closeSync, fdatasyncSync, fstatSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import type { ResolvedShippingSettings } from './options.js';
import {
  comparePositions,
  listSegments,
  readCheckpoint,
  readOrCreateSpoolId,
  segmentPath,
  type SpoolPosition,
  writeCheckpoint,
} from './spool-layout.js';
import { createSegmentReader, type SpoolBatch } from './segment-reader.js';
import type { Counters } from './stats.js';

/** Outcome of {@link SegmentSpool.append}. */
export type AppendResult = 'written' | 'dropped' | 'full';

/** The append-only, byte-bounded disk spool between the logger and Elasticsearch. */
export interface SegmentSpool {
  /** Appends a chunk of pino output (complete lines are written, a partial tail is kept). With `allowDrop` false a full spool returns `'full'` and changes nothing. */
  append(chunk: string, allowDrop: boolean): AppendResult;
  /** The next unacknowledged lines, from the checkpoint on; `undefined` when all are acknowledged. */
  readBatch(maxLines: number, maxBytes: number): SpoolBatch | undefined;
  /** Moves the checkpoint past `batch` and deletes segments that are wholly acknowledged. */
  acknowledge(batch: SpoolBatch): void;
  /**
   * Forces the lines written since the last call to disk (`fdatasync` of the segment, `fsync` of
   * the directory when a segment was created); does nothing when nothing was written.
   * @returns whether it synced
   * @throws the file system's error (EIO, ...)
   */
  sync(): boolean;
  /** Whether lines written are waiting for acknowledgement. */
  pending(): boolean;
  /** Position just after the last line written. */
  end(): SpoolPosition;
  /** First position not acknowledged. */
  acknowledged(): SpoolPosition;
  close(): void;
}

/**
 * Opens the spool in `settings.spoolDir` (already created and locked by the main thread):
 * removes segments the checkpoint says are acknowledged and starts a fresh segment for writing,
 * so a segment left by a crashed process is only ever read, never appended to.
 *
 * @param settings - resolved settings
 * @param counters - worker counters (`received`, `dropped`, `spooledBytes`)
 * @returns the spool
 */
export function openSegmentSpool(settings: ResolvedShippingSettings, counters: Counters): SegmentSpool {
  const dir = settings.spoolDir;
  const spoolId = readOrCreateSpoolId(dir);
  let cursor = readCheckpoint(dir);
  const sizes = new Map<number, number>();
  for (const { segment, size } of listSegments(dir)) {
    if (segment < cursor.segment) rmSync(segmentPath(dir, segment), { force: true });
    else sizes.set(segment, size);
  }
  let active = Math.max(cursor.segment, ...sizes.keys()) + 1;
  let activeFd = openSync(segmentPath(dir, active), 'a');
  let totalBytes = 0;
  for (const size of sizes.values()) totalBytes += size;
  sizes.set(active, 0);
  if (!sizes.has(cursor.segment)) cursor = { segment: Math.min(...sizes.keys()), offset: 0 };
  let carry = '';
  const reader = createSegmentReader(dir, spoolId);
  const syncing = settings.spoolSyncIntervalMs > 0;
  // Bytes written to the active segment since its last fdatasync; a new segment's directory entry.
  let unsynced = 0;
  let newEntry = true;

  const syncDirectory = () => {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };

  const publishSpooled = () => counters.set('spooledBytes', totalBytes - cursor.offset);
  publishSpooled();

  const roll = () => {
    // A finished segment is made durable before it is closed, so sync() only ever has one file to mind.
    if (syncing && unsynced > 0) {
      try {
        fdatasyncSync(activeFd);
        counters.add('spoolSyncs', 1);
      } catch {
        // The bytes are still in the page cache and get shipped; only their power-loss safety is lost.
      }
      unsynced = 0;
    }
    closeSync(activeFd);
    newEntry = true;
    active += 1;
    activeFd = openSync(segmentPath(dir, active), 'a');
    sizes.set(active, 0);
  };

  // A failed write (ENOSPC, EIO) may have left part of a chunk in the file: account for the bytes
  // really there and continue in a new segment, so the partial line is a torn tail the reader skips.
  const sealAfterFailedWrite = () => {
    try {
      const actual = fstatSync(activeFd).size;
      if (actual === sizes.get(active)) return;
      totalBytes += actual - sizes.get(active)!;
      sizes.set(active, actual);
      roll();
    } catch {
      // Nothing more we can do; the next write reports again.
    }
  };

  // A segment wholly acknowledged (and no longer written to) is deleted and the cursor moves on.
  const skipFinishedSegments = () => {
    while (cursor.segment < active && cursor.offset >= (sizes.get(cursor.segment) ?? 0)) {
      const finished = cursor.segment;
      totalBytes -= sizes.get(finished) ?? 0;
      sizes.delete(finished);
      reader.forget(finished);
      rmSync(segmentPath(dir, finished), { force: true });
      cursor = { segment: Math.min(...sizes.keys()), offset: 0 };
      writeCheckpoint(dir, cursor);
    }
    publishSpooled();
  };

  return {
    append(chunk, allowDrop) {
      const text = carry + chunk;
      const last = text.lastIndexOf('\n');
      if (last === -1) {
        carry = text.length > settings.segmentBytes ? '' : text;
        return 'written';
      }
      const complete = Buffer.from(text.slice(0, last + 1));
      const lines = countNewlines(text, last);
      if (totalBytes + complete.length > settings.spoolMaxBytes) {
        if (!allowDrop && complete.length <= settings.spoolMaxBytes) return 'full';
        carry = text.slice(last + 1);
        counters.add('received', lines);
        counters.add('dropped', lines);
        return 'dropped';
      }
      carry = text.slice(last + 1);
      counters.add('received', lines);
      try {
        writeSync(activeFd, complete);
      } catch {
        counters.add('dropped', lines);
        sealAfterFailedWrite();
        return 'dropped';
      }
      sizes.set(active, sizes.get(active)! + complete.length);
      totalBytes += complete.length;
      unsynced += complete.length;
      publishSpooled();
      if (sizes.get(active)! >= settings.segmentBytes) roll();
      return 'written';
    },
    readBatch(maxLines, maxBytes) {
      skipFinishedSegments();
      const size = sizes.get(cursor.segment) ?? 0;
      if (cursor.offset >= size) return undefined;
      return reader.read(cursor, size, cursor.segment < active, maxLines, maxBytes);
    },
    acknowledge(batch) {
      if (comparePositions(batch.end, cursor) <= 0) return;
      cursor = batch.end;
      writeCheckpoint(dir, cursor);
      skipFinishedSegments();
    },
    sync() {
      if (unsynced === 0 && !newEntry) return false;
      if (unsynced > 0) fdatasyncSync(activeFd);
      if (newEntry) syncDirectory();
      unsynced = 0;
      newEntry = false;
      counters.add('spoolSyncs', 1);
      return true;
    },
    pending() {
      skipFinishedSegments();
      return cursor.offset < (sizes.get(cursor.segment) ?? 0);
    },
    end: () => ({ segment: active, offset: sizes.get(active)! }),
    acknowledged: () => cursor,
    close() {
      reader.close();
      try {
        closeSync(activeFd);
      } catch {
        // Already closed.
      }
    },
  };
}

function countNewlines(text: string, last: number): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index <= last; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** Re-exported so callers need one import for the spool's batch type. */
export type { SpoolBatch } from './segment-reader.js';
