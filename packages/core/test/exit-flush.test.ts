import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const fixture = join(import.meta.dirname, 'fixtures/exit-flush.ts');

function runFixture(mode: string, signal?: NodeJS.Signals) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (signal && stdout.includes('ready\n') && !child.killed) child.kill(signal);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, exitSignal) => resolve({ code, signal: exitSignal, stdout, stderr }));
  });
}

describe('registerExitFlush: one set of process listeners for every package', () => {
  it('SIGTERM: every flusher runs, then the process dies by SIGTERM as it would have', async () => {
    const result = await runFixture('signal', 'SIGTERM');
    expect(result.stdout).toContain('flushed log');
    expect(result.stdout).toContain('flushed trace');
    expect(result.signal).toBe('SIGTERM');
  });

  it('SIGINT likewise', async () => {
    const result = await runFixture('signal', 'SIGINT');
    expect(result.stdout).toContain('flushed log');
    expect(result.stdout).toContain('flushed trace');
    expect(result.signal).toBe('SIGINT');
  });

  it('an application SIGTERM handler keeps control of the exit; we only flush', async () => {
    const result = await runFixture('own-sigterm-handler', 'SIGTERM');
    expect(result.stdout).toContain('flushed log');
    expect(result.stdout).toContain('application handler exits');
    expect(result.code).toBe(7);
  });

  it('uncaught exception: flush, then the error is printed and the exit code is 1', async () => {
    const result = await runFixture('uncaught');
    expect(result.stdout).toContain('flushed log');
    expect(result.stdout).toContain('flushed trace');
    expect(result.stderr).toContain('boom from the app');
    expect(result.code).toBe(1);
  });

  it('unhandled rejection: flush, then exit code 1 with the reason', async () => {
    const result = await runFixture('rejection');
    expect(result.stdout).toContain('flushed trace');
    expect(result.stderr).toContain('rejected in the app');
    expect(result.code).toBe(1);
  });

  it('event loop runs dry: flush once, then a normal exit 0', async () => {
    const result = await runFixture('drain');
    expect(result.stdout.match(/flushed log/g)).toHaveLength(1);
    expect(result.code).toBe(0);
  });
});
