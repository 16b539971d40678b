import crypto, { type KeyObject } from 'node:crypto';
import { type AuditCheckpoint, verifyCheckpointSignature } from '../checkpoint.js';
import type { AuditProblem, AuditProblemKind, AuditVerificationResult, TornTail } from '../verification-result.js';
import { BODY_OFFSET, GENESIS_HASH, LINE_PREFIX } from './record-builder.js';

/** Where a walk stands after a record: enough to resume it. */
export interface ChainState {
  readonly seq: number;
  readonly hash: string;
  /** Timestamp of the last record ('' before the first). */
  readonly ts: string;
  readonly records: number;
  readonly checkpoints: number;
  readonly lastCheckpointSeq: number;
}

const INITIAL_STATE: ChainState = {
  seq: 0,
  hash: GENESIS_HASH,
  ts: '',
  records: 0,
  checkpoints: 0,
  lastCheckpointSeq: 0,
};
// Fixed width, so string order is time order.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const OPEN_BRACE = Buffer.from('{');

// One-shot crypto.hash (Node >= 20.12) is about twice as fast as createHash for short lines.
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: Buffer, encoding: 'hex') => string }).hash;
let scratch = Buffer.alloc(64 * 1024);

/** SHA-256 (hex) of `{` followed by `data[start, end)`: the canonical body of a line. */
function bodyHash(data: Buffer, start: number, end: number): string {
  if (!oneShot) return crypto.createHash('sha256').update(OPEN_BRACE).update(data.subarray(start, end)).digest('hex');
  const length = end - start + 1;
  if (length > scratch.length) scratch = Buffer.alloc(length * 2);
  scratch[0] = 0x7b;
  data.copy(scratch, 1, start, end);
  return oneShot('sha256', scratch.subarray(0, length), 'hex');
}

const PREFIX = Buffer.from(LINE_PREFIX, 'latin1');
const NEWLINE = 10;

interface ParsedRecord {
  seq?: unknown;
  ts?: unknown;
  type?: unknown;
  prev?: unknown;
  payload?: unknown;
}

/**
 * Walks a trail's bytes file by file and stops at the first problem. Every line's hash is
 * computed over its own bytes; links, sequence numbers, timestamps and inline checkpoints are
 * checked against the previous record; trusted (externally kept) checkpoints are matched when
 * their sequence number goes by and at the end (rollback).
 */
export class ChainVerifier {
  #seq: number;
  #hash: string;
  #ts: string;
  #records: number;
  #checkpoints: number;
  #lastCheckpointSeq: number;
  #started: boolean;
  #problem: AuditProblem | undefined;
  #torn: TornTail | undefined;
  readonly #keys: Map<string, KeyObject>;
  readonly #trusted: Map<number, AuditCheckpoint>;
  readonly #files: { file: string; records: number }[] = [];

  /**
   * @param start - resume after a prefix already verified (the mutation test uses this to avoid
   *   re-walking identical bytes); default: the beginning of a trail
   */
  constructor(
    keys: readonly KeyObject[],
    keyIds: readonly string[],
    trusted: readonly AuditCheckpoint[],
    start: ChainState = INITIAL_STATE,
  ) {
    this.#seq = start.seq;
    this.#hash = start.hash;
    this.#ts = start.ts;
    this.#records = start.records;
    this.#checkpoints = start.checkpoints;
    this.#lastCheckpointSeq = start.lastCheckpointSeq;
    this.#started = start.seq > 0;
    this.#keys = new Map(keyIds.map((id, index) => [id, keys[index]!]));
    this.#trusted = new Map(trusted.map((checkpoint) => [checkpoint.count, checkpoint]));
    for (const checkpoint of trusted) {
      const key = this.#keys.get(checkpoint.key_id);
      if (!key || !verifyCheckpointSignature(checkpoint, key)) {
        this.#fail(
          'forged_checkpoint',
          checkpoint.count,
          '(trusted checkpoint)',
          0,
          'the trusted checkpoint given to the verifier has no valid signature for these keys',
        );
        break;
      }
    }
  }

  /** Feeds one file's bytes; returns false once a problem has been found. */
  feed(file: string, data: Buffer): boolean {
    const entry = { file, records: 0 };
    this.#files.push(entry);
    if (this.#torn && data.length > 0 && !this.#problem) {
      const torn = this.#torn;
      this.#fail(
        'torn_line',
        torn.seq,
        torn.file,
        torn.line,
        'an incomplete line is followed by more records: not a crash artefact',
      );
    }
    let position = 0;
    let lineNumber = 0;
    while (position < data.length && this.#problem === undefined && this.#torn === undefined) {
      lineNumber += 1;
      const end = data.indexOf(NEWLINE, position);
      if (end === -1) {
        this.#torn = { file, offset: position, bytes: data.length - position, line: lineNumber, seq: this.#seq + 1 };
        break;
      }
      if (this.#checkLine(data, position, end, file, lineNumber)) entry.records += 1;
      position = end + 1;
    }
    return this.#problem === undefined;
  }

  #checkLine(data: Buffer, start: number, end: number, file: string, line: number): boolean {
    const expected = this.#seq + 1;
    if (
      end - start < BODY_OFFSET + 2 ||
      data.compare(PREFIX, 0, PREFIX.length, start, start + PREFIX.length) !== 0 ||
      data[start + 73] !== 0x22 ||
      data[start + 74] !== 0x2c
    ) {
      return this.#fail('malformed', expected, file, line, 'line is not a JTS audit record');
    }
    const stored = data.toString('latin1', start + PREFIX.length, start + 73);
    const computed = bodyHash(data, start + BODY_OFFSET, end);
    if (stored !== computed)
      return this.#fail('hash_mismatch', expected, file, line, 'record content does not match its hash (modified)');
    let record: ParsedRecord;
    try {
      record = JSON.parse(data.toString('utf8', start, end)) as ParsedRecord;
    } catch {
      return this.#fail('malformed', expected, file, line, 'record is not valid JSON');
    }
    if (!this.#started) {
      this.#started = true;
      // A trail whose older files were archived away can start at a checkpoint record kept outside.
      const anchor = this.#trusted.get((record.seq as number) - 1);
      if (anchor && record.seq !== 1 && record.type === 'audit.checkpoint' && anchor.head === record.prev) {
        this.#seq = anchor.count;
        this.#hash = anchor.head;
      }
      if (this.#seq + 1 !== record.seq)
        return this.#fail(
          'missing_start',
          1,
          file,
          line,
          `trail starts at seq ${String(record.seq)}, not 1, and no trusted checkpoint anchors it`,
        );
    }
    if (record.seq !== this.#seq + 1)
      return this.#fail(
        'sequence_gap',
        this.#seq + 1,
        file,
        line,
        `expected seq ${this.#seq + 1}, found ${String(record.seq)} (deleted, inserted or reordered record)`,
      );
    if (record.prev !== this.#hash)
      return this.#fail(
        'broken_link',
        this.#seq + 1,
        file,
        line,
        'prev does not match the previous record hash (deleted, inserted or reordered record)',
      );
    const ts = record.ts;
    if (typeof ts !== 'string' || ts < this.#ts || !TIMESTAMP.test(ts) || typeof record.type !== 'string')
      return this.#fail(
        'timestamp_regression',
        this.#seq + 1,
        file,
        line,
        'timestamp missing, malformed or earlier than the previous record',
      );
    if (record.type === 'audit.checkpoint' && !this.#checkCheckpoint(record.payload as AuditCheckpoint)) {
      return this.#fail(
        'forged_checkpoint',
        this.#seq + 1,
        file,
        line,
        'checkpoint signature, key or coverage is invalid',
      );
    }
    const covered = this.#trusted.get(this.#seq + 1);
    if (covered && covered.head !== stored) {
      return this.#fail(
        'checkpoint_mismatch',
        this.#seq + 1,
        file,
        line,
        'record differs from the one a trusted checkpoint signed (trail rewritten)',
      );
    }
    // A trusted checkpoint was also written inline right after the record it covers.
    const sealing = this.#trusted.get(this.#seq);
    if (
      sealing &&
      (record.type !== 'audit.checkpoint' ||
        (record.payload as AuditCheckpoint | null)?.signature !== sealing.signature)
    ) {
      return this.#fail(
        'checkpoint_mismatch',
        this.#seq + 1,
        file,
        line,
        'the trusted checkpoint is not in the trail where it was written (trail rewritten)',
      );
    }
    this.#seq += 1;
    this.#hash = stored;
    this.#ts = ts;
    this.#records += 1;
    return true;
  }

  #checkCheckpoint(checkpoint: AuditCheckpoint): boolean {
    if (typeof checkpoint !== 'object' || checkpoint === null) return false;
    if (checkpoint.count !== this.#seq || checkpoint.head !== this.#hash) return false;
    const key = this.#keys.get(checkpoint.key_id);
    if (!key || !verifyCheckpointSignature(checkpoint, key)) return false;
    this.#checkpoints += 1;
    this.#lastCheckpointSeq = this.#seq + 1;
    return true;
  }

  #fail(kind: AuditProblemKind, seq: number, file: string, line: number, message: string): false {
    this.#problem ??= { kind, seq, file, line, message };
    return false;
  }

  /** Ends the walk: checks trusted checkpoints the trail never reached (rollback, truncation). */
  finish(): AuditVerificationResult {
    if (!this.#problem) {
      for (const checkpoint of this.#trusted.values()) {
        if (checkpoint.count + 1 > this.#seq) {
          this.#fail(
            'rollback',
            this.#seq + 1,
            this.#files.at(-1)?.file ?? '',
            0,
            `a trusted checkpoint covers ${checkpoint.count} records (checkpoint record ${checkpoint.count + 1}) but the trail ends at seq ${this.#seq} (truncated or rolled back)`,
          );
          break;
        }
      }
    }
    const problem = this.#problem;
    return {
      ok: problem === undefined,
      records: this.#records,
      lastSeq: this.#seq,
      headHash: this.#hash,
      checkpoints: this.#checkpoints,
      sealed: this.#records > 0 && this.#lastCheckpointSeq === this.#seq,
      uncheckpointed: this.#lastCheckpointSeq === 0 ? this.#seq : this.#seq - this.#lastCheckpointSeq,
      firstBadSeq: problem?.seq,
      problem,
      torn: this.#torn,
      files: this.#files,
    };
  }
}
