import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files of one spool directory:
 * - `spool.id`: random id made when the directory is first used; part of every document `_id`,
 *   so a wiped spool can never collide with documents shipped before.
 * - `segment-<n>.ndjson`: append-only segments of newline-delimited lines, numbered upwards.
 * - `checkpoint.json`: `{ segment, offset }`, the first byte Elasticsearch has not acknowledged.
 * - `lock`: pid of the process that owns the directory.
 */
export interface SpoolPosition {
  readonly segment: number;
  readonly offset: number;
}

const SEGMENT_PATTERN = /^segment-(\d{12})\.ndjson$/;

/** @returns the path of segment number `segment` in `dir` */
export function segmentPath(dir: string, segment: number): string {
  return join(dir, `segment-${String(segment).padStart(12, '0')}.ndjson`);
}

/**
 * Lists the segments in a spool directory with their sizes, oldest first.
 *
 * @param dir - spool directory
 * @returns segment numbers and byte sizes
 */
export function listSegments(dir: string): Array<{ segment: number; size: number }> {
  const segments: Array<{ segment: number; size: number }> = [];
  for (const name of readdirSync(dir)) {
    const match = SEGMENT_PATTERN.exec(name);
    if (!match) continue;
    const segment = Number(match[1]);
    segments.push({ segment, size: statSync(segmentPath(dir, segment)).size });
  }
  return segments.sort((a, b) => a.segment - b.segment);
}

/**
 * Reads the spool id, creating it on first use.
 *
 * @param dir - spool directory
 * @returns 16 hex characters
 */
export function readOrCreateSpoolId(dir: string): string {
  const file = join(dir, 'spool.id');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{16}$/.test(id)) return id;
  } catch {
    // First use: fall through and create one.
  }
  const id = randomBytes(8).toString('hex');
  writeFileSync(file, `${id}\n`);
  return id;
}

/**
 * Reads the checkpoint; a missing or unreadable one means "nothing acknowledged yet".
 *
 * @param dir - spool directory
 * @returns the first unacknowledged position
 */
export function readCheckpoint(dir: string): SpoolPosition {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as Partial<SpoolPosition>;
    if (Number.isSafeInteger(parsed.segment) && Number.isSafeInteger(parsed.offset)) {
      return { segment: parsed.segment!, offset: parsed.offset! };
    }
  } catch {
    // No checkpoint yet.
  }
  return { segment: 0, offset: 0 };
}

/**
 * Writes the checkpoint atomically (write a temporary file, then rename over the old one), so a
 * crash leaves either the old or the new checkpoint, never a torn one.
 *
 * @param dir - spool directory
 * @param position - first unacknowledged position
 */
export function writeCheckpoint(dir: string, position: SpoolPosition): void {
  const file = join(dir, 'checkpoint.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(position));
  renameSync(`${file}.tmp`, file);
}

/**
 * Orders two positions.
 *
 * @returns negative when `a` is before `b`, 0 when equal, positive after
 */
export function comparePositions(a: SpoolPosition, b: SpoolPosition): number {
  return a.segment === b.segment ? a.offset - b.offset : a.segment - b.segment;
}
