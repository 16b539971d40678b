import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onDiagnostic, orderExecution } from '@jts/core';
import { describe, expect, it } from 'vitest';
import { type AuditFileSystem, createAuditTrail, nodeAuditFileSystem, verifyAuditTrail } from '../src/index.js';
import { keyPair, tempDir } from './support/temp.js';

const exitListeners = () => process.listenerCount('SIGTERM') + process.listenerCount('beforeExit');
const records = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { type: string; payload: unknown }),
    );

/** A file system whose fdatasync waits until `release` is called: a hanging disk. */
function hangingDisk(): { fileSystem: AuditFileSystem; release: () => void } {
  let release = () => {};
  const hanging = new Promise<void>((resolve) => (release = resolve));
  const fileSystem: AuditFileSystem = {
    ...nodeAuditFileSystem,
    datasync: async (fd) => {
      await hanging;
      return nodeAuditFileSystem.datasync(fd);
    },
  };
  return { fileSystem, release: () => release() };
}

describe('createAuditTrail options: the one vocabulary and setup checks', () => {
  it('checkpointFile in a directory that does not exist: the directory is created and every checkpoint is copied there', async () => {
    const dir = tempDir();
    const checkpointFile = join(tempDir(), 'not', 'yet', 'there', 'checkpoints.jsonl');
    const audit = createAuditTrail({
      directory: dir,
      signingKey: keyPair().privateKey,
      checkpointFile,
      checkpointEvery: 2,
      flushOnExit: false,
    });
    expect(existsSync(checkpointFile)).toBe(true);
    for (let index = 0; index < 4; index += 1) await audit.record({ type: 'test.copied' });
    await audit.close();
    const copies = readFileSync(checkpointFile, 'utf8').trim().split('\n');
    expect(copies).toHaveLength(audit.stats().checkpoints);
    expect(copies.length).toBeGreaterThanOrEqual(2);
  });

  it('a checkpointFile that cannot be created is a JtsError naming it, and leaves no lock and no exit listener behind', () => {
    const dir = tempDir();
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a directory');
    const listeners = exitListeners();
    expect(() =>
      createAuditTrail({
        directory: dir,
        signingKey: keyPair().privateKey,
        checkpointFile: join(blocker, 'checkpoints.jsonl'),
      }),
    ).toThrowError(
      expect.objectContaining({
        code: 'JTS_ERR_DESTINATION_UNAVAILABLE',
        message: expect.stringMatching(/checkpointFile .*a-file\/checkpoints\.jsonl \(JTS_AUDIT_CHECKPOINT_FILE\)/),
      }),
    );
    expect(readdirSync(dir)).toEqual([]);
    expect(exitListeners()).toBe(listeners);
  });

  it('operations: [order.execution] records order submissions, unknown or unsupported names are a JtsError', async () => {
    expect(() =>
      createAuditTrail({ directory: tempDir(), signingKey: keyPair().privateKey, operations: ['risk.check'] }),
    ).toThrowError(
      expect.objectContaining({
        code: 'JTS_ERR_INVALID_OPTION',
        message: expect.stringMatching(/operations.*"risk\.check".*order\.execution.*JTS_AUDIT_OPERATIONS/),
      }),
    );
    expect(orderExecution.hasSubscribers).toBe(false);
    const dir = tempDir();
    const audit = createAuditTrail({
      directory: dir,
      signingKey: keyPair().privateKey,
      env: { JTS_AUDIT_OPERATIONS: 'order.execution' },
      flushOnExit: false,
    });
    await orderExecution.run({ orderId: 'o-7' }, async () => undefined);
    await audit.flush();
    await audit.close();
    expect(records(dir).map((record) => record.type)).toEqual(['order.submitted', 'order.outcome', 'audit.checkpoint']);
  });

  it('redaction: false records payloads as given; the default policy redacts', async () => {
    const dir = tempDir();
    const audit = createAuditTrail({
      directory: dir,
      signingKey: keyPair().privateKey,
      redaction: false,
      flushOnExit: false,
    });
    await audit.record({ type: 'test.raw', payload: { password: 'hunter2' } });
    await audit.close();
    expect(records(dir)[0]?.payload).toEqual({ password: 'hunter2' });
  });

  it('flush() resolves once appended records are durable', async () => {
    const dir = tempDir();
    const audit = createAuditTrail({ directory: dir, signingKey: keyPair().privateKey, flushOnExit: false });
    const pending = [audit.record({ type: 'test.a' }), audit.record({ type: 'test.b' })];
    await audit.flush();
    expect(audit.stats()).toMatchObject({ recorded: 2, pending: 0 });
    await Promise.all(pending);
    await audit.close();
  });

  it('close() resolves by closeTimeoutMs when the disk hangs, says so, and registers one exit flusher until then', async () => {
    const dir = tempDir();
    const { fileSystem, release } = hangingDisk();
    const listeners = process.listenerCount('beforeExit');
    const audit = createAuditTrail({
      directory: dir,
      signingKey: keyPair().privateKey,
      fileSystem,
      closeTimeoutMs: 200,
      env: { JTS_AUDIT_FLUSH_ON_EXIT: 'true' },
    });
    expect(process.listenerCount('beforeExit')).toBe(listeners === 0 ? 1 : listeners);
    const events: string[] = [];
    const stop = onDiagnostic((diagnostic) => void events.push(diagnostic.event));
    const record = audit.record({ type: 'test.stuck' });
    await audit.close();
    stop();
    expect(events).toContain('close_timed_out');
    expect(process.listenerCount('beforeExit')).toBe(listeners);
    // The lock is kept while the write hangs, released when it ends.
    expect(existsSync(join(dir, 'audit.lock'))).toBe(true);
    release();
    await record;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(join(dir, 'audit.lock'))).toBe(false);
    expect(await verifyAuditTrail(dir, audit.publicKey)).toMatchObject({ ok: true, records: 2, sealed: true });
  });

  it('says so when the exit flush passes closeTimeoutMs (a hanging disk: the trail may end unsealed)', async () => {
    const dir = tempDir();
    const { fileSystem, release } = hangingDisk();
    const audit = createAuditTrail({
      directory: dir,
      signingKey: keyPair().privateKey,
      fileSystem,
      closeTimeoutMs: 150,
      env: { JTS_AUDIT_FLUSH_ON_EXIT: 'true' },
    });
    // The flusher core's exit registry would run on SIGTERM, called as the registry calls it.
    const registry = (
      globalThis as Record<symbol, { registry: { flushers: Set<{ name: string; flush: (ms: number) => unknown }> } }>
    )[Symbol.for('jts.core.exit-flush.v2')]!.registry;
    const flusher = [...registry.flushers].find((candidate) => candidate.name === 'audit')!;
    const events: string[] = [];
    const stop = onDiagnostic((diagnostic) => void events.push(diagnostic.event));
    const record = audit.record({ type: 'test.stuck' });
    await flusher.flush(150);
    expect(events).toEqual(['exit_flush_timed_out']);
    release();
    await record;
    // Once the disk answers, the same flush ends in time and says nothing.
    await flusher.flush(5000);
    stop();
    expect(events).toEqual(['exit_flush_timed_out']);
    await audit.close();
    expect(await verifyAuditTrail(dir, audit.publicKey)).toMatchObject({ ok: true, sealed: true });
  });

  it('closeTimeoutMs is checked like every option', () => {
    expect(() =>
      createAuditTrail({ directory: tempDir(), signingKey: keyPair().privateKey, closeTimeoutMs: -5 }),
    ).toThrow(/closeTimeoutMs.*JTS_AUDIT_CLOSE_TIMEOUT_MS/);
  });
});
