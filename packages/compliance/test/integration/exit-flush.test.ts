import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '../../src/index.js';
import { keyPair, tempDir } from '../support/temp.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/signal-writer.ts', import.meta.url));

describe('the audit trail on SIGTERM (flushOnExit)', () => {
  it('makes every record handed to it before the signal durable, seals it with a checkpoint, then ends by the signal', async () => {
    const dir = tempDir();
    const { privateKey, publicKey } = keyPair();
    const keyFile = join(tempDir(), 'audit.key.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir, keyFile], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, JTS_AUDIT_FLUSH_ON_EXIT: '' },
    });
    let calls = 0;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('close', (code, signal) => resolve(signal ?? code)),
    );
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        for (const match of chunk.toString().matchAll(/calls=(\d+)/g)) calls = Number(match[1]);
        if (calls >= 400 && !child.killed) {
          child.kill('SIGTERM');
          resolve();
        }
      });
    });
    const callsBeforeSignal = calls;
    expect(await exited).toBe('SIGTERM');
    expect(stderr).toBe('');
    const result = await verifyAuditTrail(dir, publicKey);
    expect(result).toMatchObject({ ok: true, sealed: true });
    const numbers = new Set(
      readdirSync(dir)
        .filter((name) => name.endsWith('.jsonl'))
        .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean))
        .map((line) => JSON.parse(line) as { type: string; payload: { n?: number } })
        .filter((record) => record.type === 'test.order')
        .map((record) => record.payload.n),
    );
    const missing = Array.from({ length: callsBeforeSignal }, (_, index) => index).filter((n) => !numbers.has(n));
    expect(missing).toEqual([]);
  });
});
