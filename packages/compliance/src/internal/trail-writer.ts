import { dirname, join } from 'node:path';
import { JtsError } from '@jts/core';
import { formatMicros, parseMicros } from '../audit-clock.js';
import type { AuditFileSystem } from '../audit-file-system.js';
import type { AuditCheckpoint, CheckpointSigner } from '../checkpoint.js';
import { type BuiltRecord, type ChainHead, buildRecord, type RecordFields } from './record-builder.js';
import { type TrailTail, trailFileName } from './trail-files.js';

/** What a durable record resolves to. */
export interface AuditReceipt {
  readonly seq: number;
  readonly hash: string;
  readonly ts: string;
  readonly type: string;
  /** File the record is in. */
  readonly file: string;
}

/** A record (or a checkpoint request) waiting for the next group commit. */
export interface PendingEntry {
  readonly micros: number;
  /** Undefined for a checkpoint request. */
  readonly fields: Omit<RecordFields, 'ts'> | undefined;
  resolve(receipt: AuditReceipt | undefined): void;
  reject(error: unknown): void;
}

export interface TrailWriterConfig {
  readonly directory: string;
  readonly prefix: string;
  readonly maxFileBytes: number;
  readonly rotateDaily: boolean;
  readonly checkpointEvery: number;
  readonly signer: CheckpointSigner;
  readonly fileSystem: AuditFileSystem;
  readonly tail: TrailTail;
  /** Called once a chunk is durable, with its records (checkpoints included). */
  readonly onDurable: (records: readonly BuiltRecord[], checkpoints: readonly AuditCheckpoint[]) => void;
  /** Called when records could not be made durable. */
  readonly onFailure: (count: number, error: unknown) => void;
  readonly onFsync: () => void;
  readonly onRotate: () => void;
  /** Called when a checkpoint could not be signed (it is left out; the records are written). */
  readonly onCheckpointFailed: (error: unknown) => void;
}

/** After a failed signature, automatic checkpoints pause this long, doubling per failure up to a minute. */
const SIGN_RETRY_FIRST_MS = 1000;
const SIGN_RETRY_MAX_MS = 60_000;

interface Target {
  readonly path: string;
  readonly day: string;
  readonly index: number;
  readonly size: number;
}

interface Chunk {
  readonly target: Target;
  readonly isNew: boolean;
  readonly lines: string[];
  readonly records: BuiltRecord[];
  readonly checkpoints: AuditCheckpoint[];
  readonly entries: { entry: PendingEntry; record: BuiltRecord | undefined }[];
  bytes: number;
}

/**
 * Group commit: records that arrive while a write + fdatasync is in flight wait together for the
 * next one. Records are chained at commit time from the last durable record, so a failed batch
 * leaves no hole: its bytes are cut off again and the chain continues from what is on disk.
 */
export class TrailWriter {
  #head: ChainHead;
  #target: Target | undefined;
  #fd: number | undefined;
  #nextIndex: number;
  #sinceCheckpoint = 0;
  #pending: PendingEntry[] = [];
  #running: Promise<void> | undefined;
  #signPausedUntil = 0;
  #signRetryMs = SIGN_RETRY_FIRST_MS;

  constructor(private readonly config: TrailWriterConfig) {
    this.#head = config.tail.head;
    this.#target = config.tail.last && {
      path: config.tail.last.path,
      day: config.tail.last.day,
      index: config.tail.last.index,
      size: config.tail.last.size,
    };
    this.#nextIndex = config.tail.nextIndex;
  }

  get head(): ChainHead {
    return this.#head;
  }

  get pending(): number {
    return this.#pending.length;
  }

  get sinceCheckpoint(): number {
    return this.#sinceCheckpoint;
  }

  /** True while automatic checkpoints pause after the signer failed. */
  get signingPaused(): boolean {
    return !this.#signing();
  }

  enqueue(entry: PendingEntry): void {
    this.#pending.push(entry);
    this.#running ??= this.#loop();
  }

  /** Resolves when everything enqueued so far has been committed (or failed). */
  async drain(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async close(): Promise<void> {
    await this.drain();
    if (this.#fd !== undefined) await this.config.fileSystem.close(this.#fd).catch(() => undefined);
    this.#fd = undefined;
  }

  async #loop(): Promise<void> {
    // Let every record() call of the current tick join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      await this.#commit(await this.#plan(batch));
    }
    this.#running = undefined;
  }

  /**
   * A signed checkpoint record of `head`. A local key signs synchronously; an external signer is
   * awaited (records after it wait: the checkpoint covers the record right before it). Throws
   * when the signer fails; automatic checkpoints then pause (1 s, doubling up to a minute).
   */
  async #checkpoint(head: ChainHead, micros: number): Promise<{ record: BuiltRecord; checkpoint: AuditCheckpoint }> {
    const ts = formatMicros(Math.max(micros, head.micros));
    let checkpoint: AuditCheckpoint;
    try {
      checkpoint = await this.config.signer.checkpoint({ count: head.seq, head: head.hash, time: ts });
    } catch (error) {
      this.#signPausedUntil = Date.now() + this.#signRetryMs;
      this.#signRetryMs = Math.min(SIGN_RETRY_MAX_MS, this.#signRetryMs * 2);
      this.config.onCheckpointFailed(error);
      throw error;
    }
    this.#signRetryMs = SIGN_RETRY_FIRST_MS;
    return {
      record: buildRecord(head, { type: 'audit.checkpoint', ts, actor: 'jts-audit', payload: checkpoint }),
      checkpoint,
    };
  }

  /** Whether automatic checkpoints (every N records, a new file's opening one) may be tried now. */
  #signing(): boolean {
    return Date.now() >= this.#signPausedUntil;
  }

  /** Chains the batch and splits it into per-file chunks (rotation by day and size). */
  async #plan(batch: readonly PendingEntry[]): Promise<Chunk[]> {
    const chunks: Chunk[] = [];
    let head = this.#head;
    let since = this.#sinceCheckpoint;
    let nextIndex = this.#nextIndex;
    let chunk: Chunk | undefined = this.#target && {
      target: this.#target,
      isNew: false,
      lines: [],
      records: [],
      checkpoints: [],
      entries: [],
      bytes: 0,
    };
    if (chunk) chunks.push(chunk);
    const append = (current: Chunk, record: BuiltRecord, checkpoint?: AuditCheckpoint) => {
      current.lines.push(record.line);
      current.records.push(record);
      if (checkpoint) current.checkpoints.push(checkpoint);
      current.bytes += Buffer.byteLength(record.line);
      head = { seq: record.seq, hash: record.hash, micros: Math.max(head.micros, parseMicros(record.ts)) };
      since = checkpoint ? 0 : since + 1;
    };
    // An automatic checkpoint that cannot be signed is left out (counted and reported in #checkpoint):
    // the records stand on the chain alone until the next checkpoint.
    const automaticCheckpoint = async (current: Chunk, micros: number) => {
      if (!this.#signing()) return;
      try {
        const made = await this.#checkpoint(head, micros);
        append(current, made.record, made.checkpoint);
      } catch {
        // Reported already.
      }
    };
    const rotate = async (day: string, micros: number): Promise<Chunk> => {
      const next: Chunk = {
        target: {
          path: join(this.config.directory, trailFileName(this.config.prefix, day, nextIndex)),
          day,
          index: nextIndex,
          size: 0,
        },
        isNew: true,
        lines: [],
        records: [],
        checkpoints: [],
        entries: [],
        bytes: 0,
      };
      nextIndex += 1;
      chunks.push(next);
      // Each file opens with a checkpoint of the chain so far: it can be verified on its own
      // (anchored by that checkpoint) once older files are archived away.
      if (head.seq > 0) await automaticCheckpoint(next, micros);
      return next;
    };
    // Checkpoint requests after a failed signature in the same batch share its error (no new attempt).
    let signFailure: { error: unknown } | undefined;
    for (const entry of batch) {
      if (entry.fields === undefined) {
        if (signFailure) {
          entry.reject(signFailure.error);
          continue;
        }
        if (since === 0 || !chunk) {
          chunk?.entries.push({ entry, record: undefined });
          if (!chunk) entry.resolve(undefined);
          continue;
        }
        try {
          const { record, checkpoint } = await this.#checkpoint(head, entry.micros);
          append(chunk, record, checkpoint);
          chunk.entries.push({ entry, record });
        } catch (error) {
          signFailure = { error };
          entry.reject(error);
        }
        continue;
      }
      try {
        const ts = formatMicros(Math.max(entry.micros, head.micros));
        const day = ts.slice(0, 10);
        if (!chunk || (this.config.rotateDaily && day !== chunk.target.day)) chunk = await rotate(day, entry.micros);
        let record = buildRecord(head, { ...entry.fields, ts });
        const size = Buffer.byteLength(record.line);
        if (chunk.target.size + chunk.bytes > 0 && chunk.target.size + chunk.bytes + size > this.config.maxFileBytes) {
          chunk = await rotate(day, entry.micros);
          record = buildRecord(head, { ...entry.fields, ts });
        }
        append(chunk, record);
        chunk.entries.push({ entry, record });
      } catch (error) {
        entry.reject(error);
        continue;
      }
      if (since >= this.config.checkpointEvery) await automaticCheckpoint(chunk, entry.micros);
    }
    return chunks.filter((item) => item.lines.length > 0 || item.entries.length > 0);
  }

  async #commit(chunks: readonly Chunk[]): Promise<void> {
    const fs = this.config.fileSystem;
    for (let index = 0; index < chunks.length; index += 1) {
      const chunk = chunks[index]!;
      try {
        if (chunk.lines.length > 0) {
          if (chunk.isNew) {
            if (this.#fd !== undefined) await fs.close(this.#fd).catch(() => undefined);
            this.#fd = undefined;
            this.#fd = await fs.open(chunk.target.path);
            await fs.truncate(this.#fd, 0);
            await fs.syncDirectory(dirname(chunk.target.path));
            this.config.onRotate();
          } else if (this.#fd === undefined) {
            // First write after setup or after a failure: reopen and cut anything not durable.
            this.#fd = await fs.open(chunk.target.path);
            await fs.truncate(this.#fd, chunk.target.size);
          }
          await fs.write(this.#fd, Buffer.from(chunk.lines.join(''), 'utf8'));
          await fs.datasync(this.#fd);
          this.config.onFsync();
          const last = chunk.records.at(-1)!;
          this.#head = { seq: last.seq, hash: last.hash, micros: Math.max(this.#head.micros, parseMicros(last.ts)) };
          this.#sinceCheckpoint = sinceLastCheckpoint(chunk.records, this.#sinceCheckpoint);
          this.#target = { ...chunk.target, size: chunk.target.size + chunk.bytes };
          if (chunk.isNew) this.#nextIndex = chunk.target.index + 1;
          this.config.onDurable(chunk.records, chunk.checkpoints);
        }
        const file = chunk.target.path;
        for (const { entry, record } of chunk.entries)
          entry.resolve(record && { seq: record.seq, hash: record.hash, ts: record.ts, type: record.type, file });
      } catch (error) {
        await this.#fail(chunks.slice(index), error);
        return;
      }
    }
  }

  async #fail(chunks: readonly Chunk[], error: unknown): Promise<void> {
    if (this.#fd !== undefined && (error as NodeJS.ErrnoException)?.code !== 'EBADF')
      await this.config.fileSystem.close(this.#fd).catch(() => undefined);
    this.#fd = undefined;
    let count = 0;
    for (const chunk of chunks) {
      for (const { entry, record } of chunk.entries) {
        if (record === undefined && entry.fields === undefined) {
          entry.resolve(undefined);
          continue;
        }
        count += 1;
        entry.reject(
          new JtsError(
            'JTS_ERR_AUDIT_NOT_DURABLE',
            `Audit record could not be made durable in ${chunk.target.path}: ${(error as Error)?.message ?? String(error)}. It is not in the trail.`,
            { cause: error },
          ),
        );
      }
    }
    this.config.onFailure(count, error);
  }
}

/** Records after the last checkpoint once `records` are appended to a chain that had `before`. */
function sinceLastCheckpoint(records: readonly BuiltRecord[], before: number): number {
  for (let index = records.length - 1; index >= 0; index -= 1) {
    if (records[index]!.type === 'audit.checkpoint') return records.length - 1 - index;
  }
  return before + records.length;
}
