import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { JtsError } from '@jts/core';
import { parseMicros } from '../audit-clock.js';
import { BODY_OFFSET, type ChainHead, GENESIS_HASH, LINE_PREFIX } from './record-builder.js';

/** `<prefix>-<YYYY-MM-DD>.<index>.jsonl[.gz]`: lexical order is chain order (dates never go back in a trail). */
const TRAIL_FILE = /^(.+)-(\d{4}-\d{2}-\d{2})\.(\d{6,})\.jsonl(\.gz)?$/;

/** One file of a trail. */
export interface TrailFile {
  readonly name: string;
  readonly prefix: string;
  readonly path: string;
  readonly day: string;
  readonly index: number;
  readonly gzip: boolean;
}

/** The file name for a day and an index. */
export function trailFileName(prefix: string, day: string, index: number): string {
  return `${prefix}-${day}.${String(index).padStart(6, '0')}.jsonl`;
}

/** The files of a trail in a directory, in chain order (an archived `.gz` replaces its original). */
export function listTrailFiles(directory: string, prefix?: string): TrailFile[] {
  const files = new Map<string, TrailFile>();
  for (const name of readdirSync(directory)) {
    const match = TRAIL_FILE.exec(name);
    if (!match || (prefix !== undefined && match[1] !== prefix)) continue;
    const file = {
      name,
      prefix: match[1]!,
      path: join(directory, name),
      day: match[2]!,
      index: Number(match[3]),
      gzip: match[4] !== undefined,
    };
    const key = `${file.prefix}\u0000${file.index}`;
    const existing = files.get(key);
    if (!existing || (existing.gzip && !file.gzip)) files.set(key, file);
  }
  return [...files.values()].sort((a, b) => (a.prefix === b.prefix ? a.index - b.index : a.prefix < b.prefix ? -1 : 1));
}

/** A torn tail cut off when a trail was reopened after a crash. */
export interface TornRecovery {
  readonly file: string;
  readonly offset: number;
  readonly bytes: number;
  readonly sha256: string;
  /** Where the torn bytes were kept. */
  readonly sidecar: string;
}

/** Where a reopened trail stands. */
export interface TrailTail {
  readonly head: ChainHead;
  /** The last plain file (appendable) and its size, if any. */
  readonly last: (TrailFile & { readonly size: number }) | undefined;
  readonly nextIndex: number;
  readonly recovered: TornRecovery | undefined;
}

function corrupt(file: string, why: string): JtsError {
  return new JtsError(
    'JTS_ERR_AUDIT_TRAIL_CORRUPT',
    `Cannot continue the audit trail: the last record of ${file} ${why}. Run jts-audit verify on the directory.`,
  );
}

/** Parses and self-checks one complete record line; returns the chain head it represents. */
function headOf(line: Buffer, file: string): ChainHead {
  const stored = line.toString('latin1', LINE_PREFIX.length, LINE_PREFIX.length + 64);
  const computed = createHash('sha256').update('{').update(line.subarray(BODY_OFFSET)).digest('hex');
  if (!line.toString('latin1', 0, LINE_PREFIX.length).startsWith(LINE_PREFIX) || stored !== computed)
    throw corrupt(file, 'does not match its hash');
  const record = JSON.parse(line.toString('utf8')) as { seq: number; ts: string };
  const micros = parseMicros(record.ts);
  if (!Number.isSafeInteger(record.seq) || Number.isNaN(micros)) throw corrupt(file, 'has no valid seq/ts');
  return { seq: record.seq, hash: stored, micros };
}

function writeDurably(path: string, data: Buffer): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads backwards until the last complete line is in the buffer. */
function readLastLines(fd: number, size: number): { tail: Buffer; tailStart: number } {
  let chunk = Math.min(size, 64 * 1024);
  for (;;) {
    const tail = Buffer.alloc(chunk);
    readSync(fd, tail, 0, chunk, size - chunk);
    const lastNewline = tail.lastIndexOf(10);
    if (chunk === size || (lastNewline > 0 && tail.lastIndexOf(10, lastNewline - 1) !== -1))
      return { tail, tailStart: size - chunk };
    chunk = Math.min(size, chunk * 4);
  }
}

/**
 * Finds the head of an existing trail and cuts a torn last line off (kept in a `.torn-<offset>`
 * sidecar file). Synchronous: runs once, at setup.
 */
export function openTrailTail(directory: string, prefix: string): TrailTail {
  const files = listTrailFiles(directory, prefix);
  const nextIndex = (files.at(-1)?.index ?? 0) + 1;
  let recovered: TornRecovery | undefined;
  for (let position = files.length - 1; position >= 0; position -= 1) {
    const file = files[position]!;
    if (file.gzip) {
      const data = gunzipSync(readFileSync(file.path));
      if (data.length === 0) continue;
      if (data[data.length - 1] !== 10) throw corrupt(file.name, 'is incomplete inside an archive');
      const start = data.lastIndexOf(10, data.length - 2) + 1;
      return { head: headOf(data.subarray(start, data.length - 1), file.name), last: undefined, nextIndex, recovered };
    }
    const fd = openSync(file.path, 'r+');
    try {
      let size = fstatSync(fd).size;
      if (size === 0) continue;
      const { tail, tailStart } = readLastLines(fd, size);
      const cut = tail.lastIndexOf(10) + 1;
      if (cut < tail.length && position === files.length - 1) {
        const torn = tail.subarray(cut);
        const sidecar = `${file.path}.torn-${tailStart + cut}`;
        writeDurably(sidecar, torn);
        ftruncateSync(fd, tailStart + cut);
        fsyncSync(fd);
        recovered = {
          file: file.name,
          offset: tailStart + cut,
          bytes: torn.length,
          sha256: createHash('sha256').update(torn).digest('hex'),
          sidecar,
        };
        size = tailStart + cut;
      } else if (cut < tail.length) {
        throw corrupt(file.name, 'is incomplete but is not the last file');
      }
      if (size === 0) continue;
      const lineStart = tail.lastIndexOf(10, cut - 2) + 1;
      const head = headOf(tail.subarray(lineStart, cut - 1), file.name);
      return { head, last: position === files.length - 1 ? { ...file, size } : undefined, nextIndex, recovered };
    } finally {
      closeSync(fd);
    }
  }
  return { head: { seq: 0, hash: GENESIS_HASH, micros: 0 }, last: undefined, nextIndex, recovered };
}
