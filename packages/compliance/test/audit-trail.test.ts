import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWithContext } from '@jts/core';
import { describe, expect, it } from 'vitest';
import { createAuditTrail, parseMicros, verifyAuditTrail } from '../src/index.js';
import { keyPair, tempDir } from './support/temp.js';

function lines(dir: string): Record<string, unknown>[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    );
}

describe('createAuditTrail', () => {
  it('appends hash-chained records that verify, and seals the trail on close', async () => {
    const dir = tempDir();
    const { privateKey, publicKey } = keyPair();
    const audit = createAuditTrail({ directory: dir, signingKey: privateKey, actor: 'svc' });
    const first = await audit.record({ type: 'test.created', payload: { n: 1 } });
    const second = await audit.record({ type: 'test.updated', payload: { n: 2 } });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    await audit.close();
    const records = lines(dir);
    expect(records.map((record) => record.type)).toEqual(['test.created', 'test.updated', 'audit.checkpoint']);
    expect(records[1]!.prev).toBe(first.hash);
    expect(records[0]!.actor).toBe('svc');
    expect(records[0]!.ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const result = await verifyAuditTrail(dir, publicKey);
    expect(result).toMatchObject({ ok: true, records: 3, lastSeq: 3, checkpoints: 1, sealed: true, uncheckpointed: 0 });
    await expect(audit.record({ type: 'test.late' })).rejects.toMatchObject({ code: 'JTS_ERR_CLOSED' });
  });

  it('carries correlation ID and trading fields from the context, per concurrent flow, and redacts payloads', async () => {
    const dir = tempDir();
    const audit = createAuditTrail({ directory: dir, signingKey: keyPair().privateKey });
    await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        runWithContext({ correlationId: `corr-${index}`, symbol: `SYM${index}`, userId: `user-${index}` }, async () => {
          await new Promise((resolve) => setTimeout(resolve, index % 5));
          return audit.record({
            type: 'test.flow',
            payload: { index, apiKey: 'sk-live-123', card: '4111 1111 1111 1111' },
          });
        }),
      ),
    );
    await audit.close();
    const flows = lines(dir).filter((record) => record.type === 'test.flow');
    expect(flows).toHaveLength(50);
    for (const record of flows) {
      const index = (record.payload as { index: number }).index;
      expect(record.correlation_id).toBe(`corr-${index}`);
      expect(record['trading.symbol']).toBe(`SYM${index}`);
      expect(record.actor).toBe(`user-${index}`);
      expect(record.payload).toMatchObject({ apiKey: '[REDACTED]', card: '************1111' });
    }
  });

  it('shares one fdatasync among concurrent records (group commit)', async () => {
    const dir = tempDir();
    const audit = createAuditTrail({ directory: dir, signingKey: keyPair().privateKey });
    const receipts = await Promise.all(
      Array.from({ length: 500 }, (_, index) => audit.record({ type: 'test.burst', payload: { index } })),
    );
    expect(new Set(receipts.map((receipt) => receipt.seq)).size).toBe(500);
    const stats = audit.stats();
    expect(stats.recorded).toBe(500);
    expect(stats.fsyncs).toBeLessThan(10);
    await audit.close();
  });

  it('writes a signed checkpoint every N records and on close, and exports them', async () => {
    const dir = tempDir();
    const { privateKey, publicKey } = keyPair();
    const exported: unknown[] = [];
    const checkpointFile = join(tempDir(), 'checkpoints.jsonl');
    const audit = createAuditTrail({
      directory: dir,
      signingKey: privateKey,
      checkpointEvery: 10,
      checkpointIntervalMs: 0,
      checkpointFile,
      onCheckpoint: (checkpoint) => exported.push(checkpoint),
    });
    for (let index = 0; index < 25; index += 1) await audit.record({ type: 'test.tick', payload: { index } });
    expect(audit.stats().checkpoints).toBe(2);
    await audit.close();
    const records = lines(dir);
    const checkpoints = records.filter((record) => record.type === 'audit.checkpoint');
    expect(checkpoints.map((record) => (record.payload as { count: number }).count)).toEqual([10, 21, 27]);
    expect(exported).toHaveLength(3);
    const fromFile = readFileSync(checkpointFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(fromFile).toEqual(exported);
    expect(fromFile).toEqual(checkpoints.map((record) => record.payload));
    const result = await verifyAuditTrail(dir, publicKey, { trustedCheckpoint: fromFile });
    expect(result).toMatchObject({ ok: true, checkpoints: 3, sealed: true });
  });

  it('writes a checkpoint on the timer while records arrive, and none while idle', async () => {
    const dir = tempDir();
    const audit = createAuditTrail({ directory: dir, signingKey: keyPair().privateKey, checkpointIntervalMs: 20 });
    await audit.record({ type: 'test.tick' });
    await audit.record({ type: 'test.tick' });
    const deadline = Date.now() + 5000;
    while (audit.stats().checkpoints === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(audit.stats().checkpoints).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(audit.stats().checkpoints).toBe(1);
    await audit.close();
    expect(
      lines(dir)
        .filter((record) => record.type === 'audit.checkpoint')
        .map((record) => (record.payload as { count: number }).count),
    ).toEqual([2]);
  });

  it('rotates by size and by UTC day, continuing the chain across files', async () => {
    const dir = tempDir();
    const { privateKey, publicKey } = keyPair();
    let now = Date.UTC(2026, 2, 9, 23, 59, 59, 990) * 1000;
    const audit = createAuditTrail({ directory: dir, signingKey: privateKey, maxFileBytes: 2000, clock: () => now });
    for (let index = 0; index < 20; index += 1) {
      await audit.record({ type: 'test.rotate', payload: { index, filler: 'x'.repeat(100) } });
      now += 1000;
    }
    await audit.close();
    const files = readdirSync(dir).sort();
    expect(files.some((name) => name.startsWith('audit-2026-03-09.'))).toBe(true);
    expect(files.some((name) => name.startsWith('audit-2026-03-10.'))).toBe(true);
    expect(files.length).toBeGreaterThan(3);
    expect(audit.stats().rotations).toBe(files.length);
    for (const name of files.slice(1)) {
      const firstLine = JSON.parse(readFileSync(join(dir, name), 'utf8').split('\n')[0]!);
      expect(firstLine.type).toBe('audit.checkpoint');
    }
    const result = await verifyAuditTrail(
      files.map((name) => join(dir, name)),
      publicKey,
    );
    expect(result).toMatchObject({ ok: true, records: lines(dir).length });
    for (const record of lines(dir)) expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThan(2000);
  });

  it('never lets timestamps go backwards, even when the wall clock does', async () => {
    const dir = tempDir();
    const { privateKey, publicKey } = keyPair();
    const wall = [5_000_000, 5_000_100, 4_000_000, 4_000_050, 5_000_200, 3_000_000].map(
      (offset) => Date.UTC(2026, 0, 5) * 1000 + offset,
    );
    let call = 0;
    const audit = createAuditTrail({
      directory: dir,
      signingKey: privateKey,
      clock: () => wall[Math.min(call++, wall.length - 1)]!,
    });
    for (let index = 0; index < 6; index += 1) await audit.record({ type: 'test.clock' });
    await audit.close();
    const stamps = lines(dir).map((record) => parseMicros(record.ts as string));
    for (let index = 1; index < stamps.length; index += 1)
      expect(stamps[index]!).toBeGreaterThanOrEqual(stamps[index - 1]!);
    expect(stamps[2]).toBe(stamps[1]);
    expect(stamps[4]).toBe(Date.UTC(2026, 0, 5) * 1000 + 5_000_200);
    expect((await verifyAuditTrail(dir, publicKey)).ok).toBe(true);
  });

  it('continues the chain and the clock floor when reopened', async () => {
    const dir = tempDir();
    const { privateKey, publicKey } = keyPair();
    const first = createAuditTrail({ directory: dir, signingKey: privateKey });
    await first.record({ type: 'test.one' });
    await first.close();
    const second = createAuditTrail({ directory: dir, signingKey: privateKey, clock: () => 0 });
    const receipt = await second.record({ type: 'test.two' });
    await second.close();
    expect(receipt.seq).toBe(3);
    const records = lines(dir);
    expect(records[2]!.prev).toBe(records[1]!.hash);
    expect(parseMicros(records[2]!.ts as string)).toBeGreaterThanOrEqual(parseMicros(records[1]!.ts as string));
    expect(await verifyAuditTrail(dir, publicKey)).toMatchObject({ ok: true, records: 4 });
  });

  it('reads the directory and the signing key file from the environment', async () => {
    const dir = tempDir();
    const { privateKey, publicKey } = keyPair();
    const keyFile = join(tempDir(), 'audit.key.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const audit = createAuditTrail({
      env: {
        JTS_AUDIT_DIR: dir,
        JTS_AUDIT_SIGNING_KEY_FILE: keyFile,
        JTS_AUDIT_FILE_PREFIX: 'desk',
        JTS_AUDIT_CHECKPOINT_EVERY: '2',
      },
    });
    for (let index = 0; index < 3; index += 1) await audit.record({ type: 'test.env' });
    await audit.close();
    expect(readdirSync(dir).every((name) => name.startsWith('desk-'))).toBe(true);
    expect(await verifyAuditTrail(dir, publicKey)).toMatchObject({ ok: true, records: 5, checkpoints: 2 });
  });

  it('fails fast on bad options with the option and env var named', () => {
    const { privateKey, publicKey } = keyPair();
    expect(() => createAuditTrail({ signingKey: privateKey, env: {} })).toThrow(
      /directory is required \(or set JTS_AUDIT_DIR\)/,
    );
    expect(() => createAuditTrail({ directory: tempDir(), env: {} })).toThrow(/JTS_AUDIT_SIGNING_KEY_FILE/);
    expect(() => createAuditTrail({ directory: tempDir(), signingKey: publicKey as never })).toThrow(
      /Ed25519 private key/,
    );
    expect(() => createAuditTrail({ directory: tempDir(), signingKey: privateKey, checkpointEvery: 0 })).toThrow(
      /checkpointEvery.*JTS_AUDIT_CHECKPOINT_EVERY/,
    );
    expect(() => createAuditTrail({ directory: tempDir(), signingKey: privateKey, filePrefix: '../x' })).toThrow(
      /filePrefix/,
    );
  });

  it('rejects bad records without appending them', async () => {
    const dir = tempDir();
    const audit = createAuditTrail({ directory: dir, signingKey: keyPair().privateKey });
    await expect(audit.record({ type: 'audit.checkpoint' })).rejects.toMatchObject({
      code: 'JTS_ERR_INVALID_ARGUMENT',
    });
    await expect(audit.record({ type: 'Bad Type' })).rejects.toMatchObject({ code: 'JTS_ERR_INVALID_ARGUMENT' });
    await expect(audit.record({ type: 'test.big', payload: { n: 1n } })).rejects.toMatchObject({
      code: 'JTS_ERR_INVALID_ARGUMENT',
    });
    await expect(audit.record({ type: 'test.nan', payload: { n: Number.NaN } })).rejects.toMatchObject({
      code: 'JTS_ERR_INVALID_ARGUMENT',
    });
    await audit.record({
      type: 'test.ok',
      payload: { at: new Date(Date.UTC(2026, 0, 2)), skip: undefined, fn: () => 1, token: 'abc' },
    });
    await audit.close();
    expect(lines(dir).map((record) => record.type)).toEqual(['test.ok', 'audit.checkpoint']);
    expect(lines(dir)[0]!.payload).toEqual({ at: '2026-01-02T00:00:00.000Z', token: '[REDACTED]' });
  });
});
