// One writer per trail: the `<prefix>.lock` file, against real second processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type JtsDiagnostic, onDiagnostic } from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditTrail, generateAuditKeyPair, verifyAuditTrail } from '../../src/index.js';
import { tempDir } from '../support/temp.js';

const fixture = fileURLToPath(new URL('./fixtures/lock-holder.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function setup() {
  const keys = generateAuditKeyPair();
  const directory = tempDir();
  const keyFile = join(tempDir(), 'key.pem');
  writeFileSync(keyFile, keys.privateKeyPem);
  return { directory, keyFile, keys };
}

/** Starts a process holding the trail; resolves once it has recorded and holds the lock. */
function startHolder(
  directory: string,
  keyFile: string,
): Promise<{ child: ChildProcess; pid: number; waitFor(text: string): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, directory, keyFile], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  const waiters: { text: string; resolve(): void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const waiter of waiters.splice(0)) {
      if (out.includes(waiter.text)) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.includes(text)) return resolve();
      waiters.push({ text, resolve });
      child.once('exit', (code) =>
        out.includes(text) ? resolve() : reject(new Error(`holder exited (${code}) before "${text}": ${err}`)),
      );
    });
  return waitFor('ready ').then(() => ({ child, pid: Number(/ready (\d+)/.exec(out)![1]), waitFor }));
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

function records(directory: string): { type: string; payload: Record<string, unknown> }[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) =>
      readFileSync(join(directory, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    );
}

describe('the writer lock', () => {
  it('refuses a second writer in another process, naming the holder, and lets it in once the holder closes', async () => {
    const { directory, keyFile, keys } = setup();
    const holder = await startHolder(directory, keyFile);
    expect(() => createAuditTrail({ directory, signingKey: keys.privateKeyPem })).toThrow(
      expect.objectContaining({ code: 'JTS_ERR_AUDIT_LOCKED', message: expect.stringContaining(`pid ${holder.pid}`) }),
    );
    holder.child.stdin!.write('close\n');
    await holder.waitFor('closed');
    await exited(holder.child);
    expect(existsSync(join(directory, 'audit.lock'))).toBe(false);
    const audit = createAuditTrail({ directory, signingKey: keys.privateKeyPem });
    await audit.record({ type: 'test.after' });
    await audit.close();
    expect(records(directory).map((record) => record.type)).toEqual([
      'test.held',
      'audit.checkpoint',
      'test.after',
      'audit.checkpoint',
    ]);
    expect((await verifyAuditTrail(directory, keys.publicKeyPem)).ok).toBe(true);
  });

  it('takes over at once from a holder that was killed, and records the takeover in the trail', async () => {
    const { directory, keyFile, keys } = setup();
    const holder = await startHolder(directory, keyFile);
    holder.child.kill('SIGKILL');
    await exited(holder.child);
    const seen: JtsDiagnostic[] = [];
    const stop = onDiagnostic((event) => seen.push(event));
    try {
      const audit = createAuditTrail({ directory, signingKey: keys.privateKeyPem });
      await audit.record({ type: 'test.after' });
      await audit.close();
    } finally {
      stop();
    }
    const recovered = records(directory).find((record) => record.type === 'audit.lock_recovered');
    expect(recovered?.payload).toMatchObject({
      reason: `its process ${holder.pid} is not running`,
      previous: { pid: holder.pid },
    });
    expect(seen.map((event) => event.event)).toContain('audit_writer_lock_taken_over');
    expect((await verifyAuditTrail(directory, keys.publicKeyPem)).ok).toBe(true);
  });
});

describe('the writer lock in one process', () => {
  it('refuses a second trail on the same directory and prefix until the first is closed; other prefixes are separate trails', async () => {
    const { directory, keys } = setup();
    const first = createAuditTrail({ directory, signingKey: keys.privateKeyPem });
    expect(() => createAuditTrail({ directory, signingKey: keys.privateKeyPem })).toThrow(
      expect.objectContaining({
        code: 'JTS_ERR_AUDIT_LOCKED',
        message: expect.stringContaining('already locked by this process'),
      }),
    );
    const other = createAuditTrail({ directory, signingKey: keys.privateKeyPem, filePrefix: 'other' });
    await other.close();
    await first.close();
    const again = createAuditTrail({ directory, signingKey: keys.privateKeyPem });
    await again.close();
    expect(records(directory).some((record) => record.type === 'audit.lock_recovered')).toBe(false);
  });

  it('treats a lock from another host as live until it goes stale, then takes it over', async () => {
    const { directory, keys } = setup();
    const lock = join(directory, 'audit.lock');
    writeFileSync(
      lock,
      JSON.stringify({
        pid: 4242,
        hostname: 'other-host.invalid',
        token: 'foreign',
        since: '2026-01-01T00:00:00.000Z',
      }),
    );
    expect(() => createAuditTrail({ directory, signingKey: keys.privateKeyPem, writerLockStaleMs: 60_000 })).toThrow(
      expect.objectContaining({
        code: 'JTS_ERR_AUDIT_LOCKED',
        message: expect.stringContaining('pid 4242 on other-host.invalid'),
      }),
    );
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    const audit = createAuditTrail({ directory, signingKey: keys.privateKeyPem, writerLockStaleMs: 60_000 });
    await audit.close();
    const recovered = records(directory).find((record) => record.type === 'audit.lock_recovered');
    expect(recovered?.payload).toMatchObject({ previous: { pid: 4242, hostname: 'other-host.invalid' } });
    expect(String(recovered?.payload.reason)).toMatch(/^not refreshed for \d+ ms \(stale after 60000 ms\)$/);
  });

  it('refuses records, counted and reported, once another writer has taken the lock away', async () => {
    const { directory, keys } = setup();
    const seen: JtsDiagnostic[] = [];
    const stop = onDiagnostic((event) => seen.push(event));
    try {
      const audit = createAuditTrail({ directory, signingKey: keys.privateKeyPem, writerLockStaleMs: 60 });
      await audit.record({ type: 'test.before' });
      writeFileSync(
        join(directory, 'audit.lock'),
        JSON.stringify({ pid: 1, hostname: 'elsewhere.invalid', token: 'intruder', since: new Date().toISOString() }),
      );
      while (!seen.some((event) => event.event === 'audit_writer_lock_lost'))
        await new Promise((resolve) => setTimeout(resolve, 10));
      await expect(audit.record({ type: 'test.after' })).rejects.toMatchObject({ code: 'JTS_ERR_AUDIT_LOCKED' });
      expect(audit.stats().notDurable).toBe(1);
      await audit.close();
      // The intruder's lock is left alone.
      expect(JSON.parse(readFileSync(join(directory, 'audit.lock'), 'utf8')).token).toBe('intruder');
      // Nothing more is written by a writer that lost the lock, not even the seal of close().
      expect(records(directory).map((record) => record.type)).toEqual(['test.before']);
    } finally {
      stop();
    }
  });
});
