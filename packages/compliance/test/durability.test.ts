import { closeSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AuditEvent,
  type AuditFileSystem,
  createAuditTrail,
  nodeAuditFileSystem,
  verifyAuditTrail,
} from '../src/index.js';
import { keyPair, tempDir } from './support/temp.js';

function types(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { type: string; payload: { n?: number } }).payload.n ?? -1),
    )
    .map(String);
}

describe('durability', () => {
  it('rejects with JTS_ERR_AUDIT_NOT_DURABLE when fdatasync fails, counts it, and keeps the chain whole', async () => {
    const dir = tempDir();
    const { privateKey, publicKey } = keyPair();
    let failing = false;
    const fileSystem: AuditFileSystem = {
      ...nodeAuditFileSystem,
      async datasync(fd) {
        if (failing) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
        return nodeAuditFileSystem.datasync(fd);
      },
    };
    const events: AuditEvent[] = [];
    const audit = createAuditTrail({
      directory: dir,
      signingKey: privateKey,
      fileSystem,
      onEvent: (event) => events.push(event),
    });
    await audit.record({ type: 'test.n', payload: { n: 1 } });
    failing = true;
    const results = await Promise.allSettled([2, 3, 4].map((n) => audit.record({ type: 'test.n', payload: { n } })));
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'JTS_ERR_AUDIT_NOT_DURABLE' });
      expect((result as PromiseRejectedResult).reason.message).toMatch(/EIO/);
    }
    expect(audit.stats().notDurable).toBe(3);
    failing = false;
    const after = await audit.record({ type: 'test.n', payload: { n: 5 } });
    expect(after.seq).toBe(2);
    await audit.close();
    expect(types(dir)).toEqual(['1', '5', '-1']);
    expect(events.filter((event) => !event['audit.durable'])).toHaveLength(3);
    expect(events.find((event) => !event['audit.durable'])).toMatchObject({
      'log.level': 'error',
      'audit.type': 'test.n',
    });
    expect(await verifyAuditTrail(dir, publicKey)).toMatchObject({ ok: true, records: 3 });
  });

  it('rejects when its file descriptor is closed under it, then reopens and continues', async () => {
    const dir = tempDir();
    const { privateKey, publicKey } = keyPair();
    const audit = createAuditTrail({ directory: dir, signingKey: privateKey });
    const first = await audit.record({ type: 'test.n', payload: { n: 1 } });
    const fd = readdirSync('/proc/self/fd')
      .map(Number)
      .find((candidate) => {
        try {
          return readlinkSync(`/proc/self/fd/${candidate}`) === first.file;
        } catch {
          return false;
        }
      });
    expect(fd).toBeTypeOf('number');
    closeSync(fd!);
    await expect(audit.record({ type: 'test.n', payload: { n: 2 } })).rejects.toMatchObject({
      code: 'JTS_ERR_AUDIT_NOT_DURABLE',
    });
    expect(audit.stats().notDurable).toBe(1);
    const third = await audit.record({ type: 'test.n', payload: { n: 3 } });
    expect(third.seq).toBe(2);
    await audit.close();
    expect(types(dir)).toEqual(['1', '3', '-1']);
    expect((await verifyAuditTrail(dir, publicKey)).ok).toBe(true);
  });

  it('rejects when the next file cannot be created (its path is a directory), then recovers', async () => {
    const dir = tempDir();
    const { privateKey, publicKey } = keyPair();
    let now = Date.UTC(2026, 4, 4, 12) * 1000;
    const audit = createAuditTrail({ directory: dir, signingKey: privateKey, clock: () => now });
    await audit.record({ type: 'test.n', payload: { n: 1 } });
    const blocked = join(dir, 'audit-2026-05-05.000002.jsonl');
    mkdirSync(blocked);
    now = Date.UTC(2026, 4, 5, 12) * 1000;
    await expect(audit.record({ type: 'test.n', payload: { n: 2 } })).rejects.toMatchObject({
      code: 'JTS_ERR_AUDIT_NOT_DURABLE',
    });
    expect(audit.stats()).toMatchObject({ notDurable: 1, recorded: 1 });
    await expect(audit.record({ type: 'test.n', payload: { n: 3 } })).rejects.toMatchObject({
      code: 'JTS_ERR_AUDIT_NOT_DURABLE',
    });
    // Clearing the obstacle lets the same rotation succeed.
    (await import('node:fs')).rmdirSync(blocked);
    const fourth = await audit.record({ type: 'test.n', payload: { n: 4 } });
    expect(fourth.file).toBe(blocked);
    expect(existsSync(blocked)).toBe(true);
    await audit.close();
    expect(audit.stats().notDurable).toBe(2);
    expect(await verifyAuditTrail(dir, publicKey)).toMatchObject({ ok: true });
    expect(types(dir)).toEqual(['1', '-1', '4', '-1']);
  });
});
