import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateAuditKeyPair, verifyAuditTrail } from '../../src/index.js';
import { prng } from '../support/build-trail.js';
import { tempDir } from '../support/temp.js';

const fixture = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Runs the writer until `afterMs` after its first resolved record, SIGKILLs it, returns the highest seq it saw resolve. */
function runAndKill(
  directory: string,
  keyFile: string,
  afterMs: number,
): Promise<{ maxResolved: number; resolved: number }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fixture, directory, keyFile], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    let maxResolved = 0;
    let resolved = 0;
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        maxResolved = Math.max(maxResolved, Number(line));
        resolved += 1;
      }
      timer ??= setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own: ${stderr}`));
      else resolve({ maxResolved, resolved });
    });
  });
}

describe('crash safety (SIGKILL at random points)', () => {
  it('verifies up to at least the last resolved record after every kill, and continues the chain on reopen', async () => {
    const directory = tempDir();
    const keys = generateAuditKeyPair();
    const keyFile = join(tempDir(), 'key.pem');
    writeFileSync(keyFile, keys.privateKeyPem);
    const random = prng(Number(process.env.JTS_CRASH_SEED ?? Date.now() % 1e9));
    let previousLast = 0;
    for (let iteration = 0; iteration < 5; iteration += 1) {
      const { maxResolved, resolved } = await runAndKill(directory, keyFile, 50 + Math.floor(random() * 400));
      expect(resolved).toBeGreaterThan(0);
      const result = await verifyAuditTrail(directory, keys.publicKeyPem);
      expect(result.problem).toBeUndefined();
      expect(result.ok).toBe(true);
      expect(result.lastSeq).toBeGreaterThanOrEqual(maxResolved);
      expect(result.lastSeq).toBeGreaterThan(previousLast);
      previousLast = result.lastSeq;
    }
  });

  it('reports a torn last line as torn, never as a record, and cuts it off (kept aside) on reopen', async () => {
    const directory = tempDir();
    const keys = generateAuditKeyPair();
    const keyFile = join(tempDir(), 'key.pem');
    writeFileSync(keyFile, keys.privateKeyPem);
    await runAndKill(directory, keyFile, 100);
    const before = await verifyAuditTrail(directory, keys.publicKeyPem);
    expect(before.ok).toBe(true);
    // What a power loss in the middle of a write leaves: the start of the next record, no newline.
    const files = readdirSync(directory)
      .filter((name) => name.endsWith('.jsonl'))
      .sort();
    const last = join(directory, files.at(-1)!);
    // The kill can land right after a rotation, leaving the newest file empty: the torn bytes are
    // the start of the newest record wherever it is, appended to the newest file.
    const newest = files
      .flatMap((name) => readFileSync(join(directory, name), 'utf8').split('\n'))
      .filter(Boolean)
      .at(-1)!;
    const torn = newest.slice(0, 120);
    appendFileSync(last, torn);
    const tornResult = await verifyAuditTrail(directory, keys.publicKeyPem);
    expect(tornResult).toMatchObject({
      ok: true,
      records: before.records,
      lastSeq: before.lastSeq,
      torn: { seq: before.lastSeq + 1, bytes: 120 },
    });
    const { maxResolved } = await runAndKill(directory, keyFile, 100);
    const after = await verifyAuditTrail(directory, keys.publicKeyPem);
    expect(after).toMatchObject({ ok: true, torn: undefined });
    expect(after.lastSeq).toBeGreaterThanOrEqual(maxResolved);
    const sidecars = readdirSync(directory).filter((name) => name.includes('.torn-'));
    expect(sidecars).toHaveLength(1);
    expect(readFileSync(join(directory, sidecars[0]!), 'utf8')).toBe(torn);
    // The recovery is the first record of the reopened trail (after the checkpoint that opens a new
    // file, when the last one was full).
    const firstAfterReopen = readdirSync(directory)
      .filter((name) => name.endsWith('.jsonl'))
      .flatMap((name) => readFileSync(join(directory, name), 'utf8').split('\n').filter(Boolean))
      .map((line) => JSON.parse(line) as { type: string; seq: number; payload: { bytes?: number } })
      .filter((record) => record.seq > before.lastSeq && record.type !== 'audit.checkpoint')
      .sort((a, b) => a.seq - b.seq)[0];
    expect(firstAfterReopen).toMatchObject({ type: 'audit.recovered', payload: { bytes: 120 } });
    expect(firstAfterReopen!.seq).toBeLessThanOrEqual(before.lastSeq + 2);
  });
});
