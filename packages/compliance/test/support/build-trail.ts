import type { KeyObject } from 'node:crypto';
import { formatMicros } from '../../src/audit-clock.js';
import { type AuditCheckpoint, signCheckpoint } from '../../src/checkpoint.js';
import type { ChainState } from '../../src/internal/chain-verifier.js';
import { type BuiltRecord, type ChainHead, GENESIS_HASH, buildRecord } from '../../src/internal/record-builder.js';

/** A trail built in memory with the writer's own record builder (no fsync): for verifier tests. */
export interface MemoryTrail {
  readonly data: Buffer;
  readonly records: BuiltRecord[];
  /** Byte offset of each line. */
  readonly offsets: number[];
  /** Verifier state before each line (index = line index). */
  readonly states: ChainState[];
  readonly checkpoints: AuditCheckpoint[];
  /** The final checkpoint (the trail ends with it, as after close()). */
  readonly seal: AuditCheckpoint;
}

const SYMBOLS = ['AAPL', 'MSFT', 'BTC-USD', 'ÉTÉ-€', '株式-7203', '😀-EMOJI'];

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds `count` records plus a checkpoint every `every` records and a final seal. */
export function buildMemoryTrail(
  count: number,
  signingKey: KeyObject,
  options: { every?: number; seed?: number; startMicros?: number } = {},
): MemoryTrail {
  const random = prng(options.seed ?? 1);
  const every = options.every ?? 1000;
  let micros = options.startMicros ?? Date.UTC(2026, 0, 2, 14, 30) * 1000;
  let head: ChainHead = { seq: 0, hash: GENESIS_HASH, micros: 0 };
  const records: BuiltRecord[] = [];
  const checkpoints: AuditCheckpoint[] = [];
  const states: ChainState[] = [];
  let checkpointCount = 0;
  let lastCheckpointSeq = 0;
  const push = (record: BuiltRecord, checkpoint?: AuditCheckpoint) => {
    states.push({
      seq: head.seq,
      hash: head.hash,
      ts: records.at(-1)?.ts ?? '',
      records: head.seq,
      checkpoints: checkpointCount,
      lastCheckpointSeq,
    });
    records.push(record);
    head = { seq: record.seq, hash: record.hash, micros };
    if (checkpoint) {
      checkpoints.push(checkpoint);
      checkpointCount += 1;
      lastCheckpointSeq = record.seq;
    }
  };
  const checkpoint = () => {
    const ts = formatMicros(micros);
    const signed = signCheckpoint(signingKey, { count: head.seq, head: head.hash, time: ts });
    push(buildRecord(head, { type: 'audit.checkpoint', ts, actor: 'jts-audit', payload: signed }), signed);
  };
  for (let index = 1; index <= count; index += 1) {
    micros += Math.floor(random() * 40);
    const symbol = SYMBOLS[Math.floor(random() * SYMBOLS.length)]!;
    const payload = {
      order_id: `o-${index}`,
      quantity: Math.floor(random() * 1000) + 1,
      price: Math.round(random() * 1e6) / 100,
      note: random() < 0.1 ? 'réf “quoted” \\ back\nslash' : undefined,
    };
    push(
      buildRecord(head, {
        type: random() < 0.5 ? 'order.submitted' : 'order.filled',
        ts: formatMicros(micros),
        actor: `user-${index % 7}`,
        correlationId: `c-${index % 97}`,
        trading: { 'trading.symbol': symbol },
        payload,
      }),
    );
    if (index % every === 0) checkpoint();
  }
  if (records.at(-1)?.type !== 'audit.checkpoint') checkpoint();
  const offsets: number[] = [];
  let offset = 0;
  const parts: Buffer[] = [];
  for (const record of records) {
    offsets.push(offset);
    const bytes = Buffer.from(record.line, 'utf8');
    parts.push(bytes);
    offset += bytes.length;
  }
  return { data: Buffer.concat(parts), records, offsets, states, checkpoints, seal: checkpoints.at(-1)! };
}
