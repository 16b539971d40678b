import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { type AuditCheckpoint, verifyAuditTrail } from '../src/index.js';
import { buildRecord } from '../src/internal/record-builder.js';
import { buildMemoryTrail } from './support/build-trail.js';
import { keyPair, tempDir } from './support/temp.js';

const { privateKey, publicKey } = keyPair();
const trail = buildMemoryTrail(300, privateKey, { every: 50 });
const text = trail.data.toString('utf8');
const split = text.split('\n').slice(0, -1);
const join2 = (list: string[]) => `${list.join('\n')}\n`;
const verify = (data: string | Buffer, trusted?: AuditCheckpoint | AuditCheckpoint[]) =>
  verifyAuditTrail({ name: 'mem', data }, publicKey, { trustedCheckpoint: trusted });

describe('verifyAuditTrail', () => {
  it('accepts a clean trail and hashes the RFC 8785 form an independent verifier would compute', async () => {
    expect(await verify(trail.data)).toMatchObject({
      ok: true,
      records: 306,
      checkpoints: 6,
      sealed: true,
      firstBadSeq: undefined,
      torn: undefined,
    });
    for (const line of split.slice(0, 20)) {
      const { hash, ...body } = JSON.parse(line) as Record<string, unknown>;
      expect(createHash('sha256').update(canonicalize(body)!).digest('hex')).toBe(hash);
    }
  });

  it('serialises numbers the ES6 way and sorts keys by UTF-16 code units (RFC 8785)', () => {
    const record = buildRecord(
      { seq: 0, hash: '0'.repeat(64), micros: 0 },
      {
        type: 't',
        ts: '2026-01-01T00:00:00.000000Z',
        actor: 'a',
        payload: {
          big: 1e21,
          small: 1e-7,
          sum: 0.1 + 0.2,
          neg: -0,
          '\u20ac': 1,
          '\r': 2,
          '\ud83d\ude00': 3,
          '\ufb33': 4,
          é: 5,
        },
      },
    );
    const payload = record.line.slice(record.line.indexOf('"payload":') + 10, record.line.indexOf(',"prev"'));
    expect(payload).toBe(
      '{"\\r":2,"big":1e+21,"neg":0,"small":1e-7,"sum":0.30000000000000004,"\u00e9":5,"\u20ac":1,"\ud83d\ude00":3,"\ufb33":4}',
    );
  });

  it.each([
    [
      'modified',
      () => join2(split.map((line, index) => (index === 99 ? line.replace('"quantity":', '"quantity":1') : line))),
      100,
      'hash_mismatch',
    ],
    ['deleted', () => join2(split.filter((_, index) => index !== 149)), 150, 'sequence_gap'],
    ['inserted', () => join2([...split.slice(0, 10), split[40]!, ...split.slice(10)]), 11, 'sequence_gap'],
    ['reordered', () => join2([...split.slice(0, 20), split[21]!, split[20]!, ...split.slice(22)]), 21, 'sequence_gap'],
    ['empty line', () => join2([...split.slice(0, 5), '', ...split.slice(5)]), 6, 'malformed'],
  ])('detects a %s record and names the first bad seq', async (_name, mutate, seq, kind) => {
    const result = await verify(mutate());
    expect(result).toMatchObject({ ok: false, firstBadSeq: seq, problem: { kind, seq } });
    expect(result.lastSeq).toBe(seq - 1);
  });

  it('detects a record rewritten with a recomputed chain at the next signed checkpoint', async () => {
    const rebuilt = [...trail.records];
    const tampered = JSON.parse(split[59]!) as { payload: unknown; ts: string; type: string; actor: string };
    let head = { seq: 59, hash: trail.records[58]!.hash, micros: 0 };
    for (let index = 59; index <= 101; index += 1) {
      const original = JSON.parse(split[index]!) as {
        payload: unknown;
        ts: string;
        type: string;
        actor: string;
        correlation_id?: string;
      };
      const payload = index === 59 ? { ...(tampered.payload as object), quantity: 999999 } : original.payload;
      const record = buildRecord(head, {
        type: original.type,
        ts: original.ts,
        actor: original.actor,
        correlationId: original.correlation_id,
        payload,
      });
      rebuilt[index] = record;
      head = { seq: record.seq, hash: record.hash, micros: 0 };
    }
    const result = await verify(rebuilt.map((record) => record.line).join(''));
    expect(result).toMatchObject({ ok: false, problem: { kind: 'forged_checkpoint' }, firstBadSeq: 102 });
  });

  it('accepts several public keys (key rotation) and refuses a directory holding two trails', async () => {
    const other = keyPair();
    const result = await verifyAuditTrail({ name: 'mem', data: trail.data }, [other.publicKey, publicKey]);
    expect(result).toMatchObject({ ok: true, checkpoints: 6 });
    const dir = tempDir();
    writeFileSync(join(dir, 'a-2026-01-02.000001.jsonl'), trail.data);
    writeFileSync(join(dir, 'b-2026-01-02.000001.jsonl'), trail.data);
    await expect(verifyAuditTrail(dir, publicKey)).rejects.toThrow(/several trails \(prefixes a, b\)/);
  });

  it('detects a forged checkpoint signed with another key', async () => {
    const other = buildMemoryTrail(300, keyPair().privateKey, { every: 50 });
    expect(await verify(other.data)).toMatchObject({
      ok: false,
      firstBadSeq: 51,
      problem: { kind: 'forged_checkpoint' },
    });
  });

  it('needs a kept checkpoint to detect truncation and rollback, and then detects them', async () => {
    const truncated = join2(split.slice(0, 200));
    expect(await verify(truncated)).toMatchObject({ ok: true, sealed: false, uncheckpointed: 200 - 153 });
    expect(await verify(truncated, trail.seal)).toMatchObject({
      ok: false,
      firstBadSeq: 201,
      problem: { kind: 'rollback' },
    });
    const lastOnly = join2(split.slice(0, -1));
    expect(await verify(lastOnly, trail.seal)).toMatchObject({
      ok: false,
      firstBadSeq: 306,
      problem: { kind: 'rollback' },
    });
    const forged = { ...trail.seal, count: trail.seal.count + 1 };
    expect(await verify(trail.data, forged)).toMatchObject({ ok: false, problem: { kind: 'forged_checkpoint' } });
  });

  it('detects a trail rewritten from scratch against a kept checkpoint', async () => {
    const rewritten = buildMemoryTrail(300, privateKey, { every: 50, seed: 99 });
    expect(await verify(rewritten.data)).toMatchObject({ ok: true });
    expect(await verify(rewritten.data, trail.checkpoints[1]!)).toMatchObject({
      ok: false,
      problem: { kind: 'checkpoint_mismatch' },
      firstBadSeq: 101,
    });
  });

  it('reports a torn last line without counting it, and rejects a torn line in the middle', async () => {
    const torn = `${text}${split[3]!.slice(0, 40)}`;
    const result = await verify(torn);
    expect(result).toMatchObject({ ok: true, records: 306, torn: { seq: 307, bytes: 40, offset: trail.data.length } });
    const complete = text.slice(0, -1);
    expect(await verify(complete)).toMatchObject({ ok: true, records: 305, torn: { seq: 306 } });
    const dir = tempDir();
    writeFileSync(join(dir, 'a.jsonl'), join2(split.slice(0, 100)) + split[100]!.slice(0, 30));
    writeFileSync(join(dir, 'b.jsonl'), join2(split.slice(100)));
    expect(await verifyAuditTrail([join(dir, 'a.jsonl'), join(dir, 'b.jsonl')], publicKey)).toMatchObject({
      ok: false,
      problem: { kind: 'torn_line', seq: 101 },
    });
  });

  it('verifies across files, detects a deleted file, and anchors a partial trail at a kept checkpoint', async () => {
    const dir = tempDir();
    const parts = [split.slice(0, 101), split.slice(101, 203), split.slice(203)];
    const paths = parts.map((_part, index) => join(dir, `audit-2026-01-02.00000${index + 1}.jsonl`));
    for (const [index, part] of parts.entries()) writeFileSync(paths[index]!, join2(part));
    expect(await verifyAuditTrail(dir, publicKey)).toMatchObject({
      ok: true,
      records: 306,
      files: [{ records: 101 }, { records: 102 }, { records: 103 }],
    });
    expect(await verifyAuditTrail([paths[0]!, paths[2]!], publicKey)).toMatchObject({
      ok: false,
      firstBadSeq: 102,
      problem: { kind: 'sequence_gap' },
    });
    expect(await verifyAuditTrail([paths[2]!], publicKey)).toMatchObject({
      ok: false,
      firstBadSeq: 1,
      problem: { kind: 'missing_start' },
    });
    // Seq 204 is the checkpoint covering seq 203: a copy kept outside anchors the last file.
    const anchor = trail.checkpoints.find((checkpoint) => checkpoint.count === 203);
    expect(anchor).toBeDefined();
    expect(await verifyAuditTrail([paths[2]!], publicKey, { trustedCheckpoint: anchor })).toMatchObject({
      ok: true,
      lastSeq: 306,
    });
  });
});
