import type { KeyObject } from 'node:crypto';
import { signCheckpoint } from '../../src/checkpoint.js';
import { type BuiltRecord, buildRecord } from '../../src/internal/record-builder.js';
import type { MemoryTrail } from './build-trail.js';

/** One tampering: the bytes from line `fromLine` on, as pieces, and the first bad seq it must produce. */
export interface Mutation {
  readonly kind: string;
  readonly fromLine: number;
  readonly pieces: Buffer[];
  readonly expectedSeq: number;
}

export const MUTATION_KINDS = [
  'flip-byte',
  'delete-record',
  'insert-record',
  'swap-records',
  'truncate',
  'delete-range',
  'forge-checkpoint',
  'rewrite-chain',
  'rollback',
] as const;

function lineOf(offsets: readonly number[], offset: number): number {
  let low = 0;
  let high = offsets.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (offsets[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Builds random tamperings of a memory trail. Every mutation is a real change of the bytes (a
 * flipped byte always takes a different value, inserted and moved lines are distinct because
 * every line has its own seq), so none is a no-op.
 */
export function createMutator(trail: MemoryTrail, random: () => number, foreignKey: KeyObject) {
  const { data, offsets, records } = trail;
  const count = records.length;
  const end = (line: number) => (line + 1 < count ? offsets[line + 1]! : data.length);
  const line = (index: number) => data.subarray(offsets[index]!, end(index));
  const from = (index: number) => (index < count ? data.subarray(offsets[index]!) : Buffer.alloc(0));
  const pick = (limit: number) => Math.floor(random() * limit);
  const checkpointLines = records.flatMap((record, index) => (record.type === 'audit.checkpoint' ? [index] : []));

  return function mutate(kind: (typeof MUTATION_KINDS)[number]): Mutation {
    switch (kind) {
      case 'flip-byte': {
        const offset = pick(data.length);
        const index = lineOf(offsets, offset);
        const region = Buffer.from(data.subarray(offsets[index]!, end(Math.min(index + 1, count - 1))));
        const old = region[offset - offsets[index]!]!;
        region[offset - offsets[index]!] = (old + 1 + pick(255)) % 256;
        return { kind, fromLine: index, pieces: [region, from(index + 2)], expectedSeq: index + 1 };
      }
      case 'delete-record': {
        const index = pick(count);
        return { kind, fromLine: index, pieces: [from(index + 1)], expectedSeq: index + 1 };
      }
      case 'insert-record': {
        const at = pick(count + 1);
        const copied = pick(count);
        return {
          kind,
          fromLine: at,
          pieces: [Buffer.from(line(copied)), from(at)],
          expectedSeq: copied === at ? at + 2 : at + 1,
        };
      }
      case 'swap-records': {
        const first = pick(count - 1);
        const second = first + 1 + pick(Math.min(50, count - first - 1));
        return {
          kind,
          fromLine: first,
          pieces: [line(second), data.subarray(end(first), offsets[second]!), line(first), from(second + 1)],
          expectedSeq: first + 1,
        };
      }
      case 'truncate': {
        const cut = pick(data.length);
        const index = lineOf(offsets, cut);
        return { kind, fromLine: index, pieces: [data.subarray(offsets[index]!, cut)], expectedSeq: index + 1 };
      }
      case 'rollback': {
        const index = pick(count);
        return { kind, fromLine: index, pieces: [], expectedSeq: index + 1 };
      }
      case 'delete-range': {
        const start = pick(data.length - 1);
        const stop = Math.min(data.length, start + 1 + pick(400));
        const index = lineOf(offsets, start);
        const last = Math.min(lineOf(offsets, stop - 1) + 1, count - 1);
        const region = Buffer.concat([
          data.subarray(offsets[index]!, start),
          data.subarray(stop, Math.max(stop, end(last))),
        ]);
        return { kind, fromLine: index, pieces: [region, from(last + 1)], expectedSeq: index + 1 };
      }
      case 'forge-checkpoint': {
        // Re-sign a checkpoint with a key the verifier does not trust and re-hash its record.
        const index = checkpointLines[pick(checkpointLines.length)]!;
        const original = JSON.parse(line(index).toString('utf8')) as {
          ts: string;
          payload: { count: number; head: string; time: string };
        };
        const previous = records[index - 1]!;
        const forged = signCheckpoint(foreignKey, original.payload);
        const record = buildRecord(
          { seq: previous.seq, hash: previous.hash, micros: 0 },
          { type: 'audit.checkpoint', ts: original.ts, actor: 'jts-audit', payload: forged },
        );
        return { kind, fromLine: index, pieces: [Buffer.from(record.line), from(index + 1)], expectedSeq: index + 1 };
      }
      case 'rewrite-chain': {
        // Change a record and recompute every hash up to the next checkpoint (an attacker without the key).
        const checkpoint = checkpointLines[1 + pick(checkpointLines.length - 1)]!;
        const index = Math.max(
          checkpointLines[checkpointLines.indexOf(checkpoint) - 1]! + 1,
          checkpoint - 1 - pick(20),
        );
        const rebuilt: BuiltRecord[] = [];
        let head = { seq: index, hash: records[index - 1]!.hash, micros: 0 };
        for (let position = index; position <= checkpoint; position += 1) {
          const original = JSON.parse(line(position).toString('utf8')) as Record<string, unknown> & {
            type: string;
            ts: string;
            actor: string;
            payload: unknown;
          };
          const trading = Object.fromEntries(
            Object.entries(original).filter(([key]) => key.startsWith('trading.')),
          ) as Record<string, string>;
          const payload = position === index ? { tampered: true, was: original.payload } : original.payload;
          const record = buildRecord(head, {
            type: original.type,
            ts: original.ts,
            actor: original.actor,
            correlationId: original.correlation_id as string | undefined,
            trading,
            payload,
          });
          rebuilt.push(record);
          head = { seq: record.seq, hash: record.hash, micros: 0 };
        }
        // The verifier's kept checkpoint (the seal) covers the record just before it: caught there first.
        const expectedSeq = checkpoint === checkpointLines.at(-1) ? checkpoint : checkpoint + 1;
        return {
          kind,
          fromLine: index,
          pieces: [Buffer.from(rebuilt.map((record) => record.line).join('')), from(checkpoint + 1)],
          expectedSeq,
        };
      }
    }
  };
}
