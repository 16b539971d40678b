import { closeSync, openSync, readSync } from 'node:fs';
import { segmentPath, type SpoolPosition } from './spool-layout.js';

/** One spooled line and its deterministic document id. */
export interface SpoolLine {
  /** `<spool id>-<segment>-<byte offset>`: the same line always gets the same `_id`. */
  readonly id: string;
  /** The line without its newline. */
  readonly text: string;
}

/** A run of consecutive lines of one segment, handed to the shipper and acknowledged as a whole. */
export interface SpoolBatch {
  readonly lines: readonly SpoolLine[];
  readonly start: SpoolPosition;
  /** Position just after the batch's last line. */
  readonly end: SpoolPosition;
  /** Bytes at the end of a sealed segment that never got their newline (a torn write). */
  readonly tornBytes: number;
}

/** Reads batches of lines back from segment files, keeping one read descriptor per segment. */
export interface SegmentReader {
  read(
    cursor: SpoolPosition,
    size: number,
    sealed: boolean,
    maxLines: number,
    maxBytes: number,
  ): SpoolBatch | undefined;
  forget(segment: number): void;
  close(): void;
}

/**
 * Creates the reader of a spool directory.
 *
 * @param dir - spool directory
 * @param spoolId - the spool's id, the first part of each document `_id`
 * @returns the reader
 */
export function createSegmentReader(dir: string, spoolId: string): SegmentReader {
  const descriptors = new Map<number, number>();
  const descriptorOf = (segment: number) => {
    let fd = descriptors.get(segment);
    if (fd === undefined) {
      fd = openSync(segmentPath(dir, segment), 'r');
      descriptors.set(segment, fd);
    }
    return fd;
  };

  return {
    read(cursor, size, sealed, maxLines, maxBytes) {
      const available = size - cursor.offset;
      let length = Math.min(maxBytes, available);
      for (;;) {
        const buffer = Buffer.allocUnsafe(length);
        const read = readSync(descriptorOf(cursor.segment), buffer, 0, length, cursor.offset);
        const lines: SpoolLine[] = [];
        let position = 0;
        while (lines.length < maxLines) {
          const newline = buffer.indexOf(10, position);
          if (newline === -1 || newline >= read) break;
          if (newline > position) {
            lines.push({
              id: `${spoolId}-${cursor.segment}-${cursor.offset + position}`,
              text: buffer.toString('utf8', position, newline),
            });
          }
          position = newline + 1;
        }
        if (position > 0) {
          return {
            lines,
            start: cursor,
            end: { segment: cursor.segment, offset: cursor.offset + position },
            tornBytes: 0,
          };
        }
        if (read < available && length < available) {
          // One line longer than maxBytes: read more rather than split it.
          length = Math.min(length * 2, available);
          continue;
        }
        if (!sealed) return undefined;
        return { lines, start: cursor, end: { segment: cursor.segment, offset: size }, tornBytes: available };
      }
    },
    forget(segment) {
      const fd = descriptors.get(segment);
      if (fd !== undefined) closeSync(fd);
      descriptors.delete(segment);
    },
    close() {
      for (const segment of [...descriptors.keys()]) this.forget(segment);
    },
  };
}
