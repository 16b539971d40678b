import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const fixture = join(import.meta.dirname, 'fixtures/exit-flush.ts');

function runFixture(mode: string, options: { signal?: NodeJS.Signals; env?: Record<string, string> } = {}) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, JTS_FATAL_FLUSH_WINDOW_MS: '', ...options.env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
        if (options.signal && stdout.includes('ready') && !child.killed) child.kill(options.signal);
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code, exitSignal) => resolve({ code, signal: exitSignal, stdout, stderr }));
    },
  );
}

const flushed = (stdout: string) => stdout.match(/^flushed .*$/gm) ?? [];

describe('registerExitFlush: one set of process listeners for every package', () => {
  it('SIGTERM: every flusher runs within its own deadline while isExiting() is true, then the process dies by SIGTERM', async () => {
    const result = await runFixture('signal', { signal: 'SIGTERM' });
    expect(result.stdout).toContain('ready exiting=false');
    expect(result.stdout).toContain('exiting signal');
    expect(flushed(result.stdout).sort()).toEqual([
      'flushed log budget=2000 exiting=true',
      'flushed trace budget=2000 exiting=true',
    ]);
    expect(result.signal).toBe('SIGTERM');
  });

  it('SIGINT likewise', async () => {
    const result = await runFixture('signal', { signal: 'SIGINT' });
    expect(flushed(result.stdout)).toHaveLength(2);
    expect(result.signal).toBe('SIGINT');
  });

  it('an application SIGTERM handler keeps control of the exit; we only flush', async () => {
    const result = await runFixture('own-sigterm-handler', { signal: 'SIGTERM' });
    expect(result.stdout).toContain('flushed log');
    expect(result.stdout).toContain('application handler exits');
    expect(result.code).toBe(7);
  });

  it('uncaught exception: flush within the short fatal window (default 1000 ms), then the error is printed and the exit code is 1', async () => {
    const result = await runFixture('uncaught');
    expect(result.stdout).toContain('exiting fatal');
    expect(flushed(result.stdout).sort()).toEqual([
      'flushed log budget=1000 exiting=true',
      'flushed trace budget=1000 exiting=true',
    ]);
    expect(result.stderr).toContain('boom from the app');
    expect(result.code).toBe(1);
  });

  it('a request ended in the failing turn reaches the signals before any flusher is called', async () => {
    const result = await runFixture('uncaught', { env: { FIXTURE_ENDED_RUN: '1' } });
    expect(flushed(result.stdout).sort()).toEqual([
      'flushed log budget=1000 exiting=true published=1',
      'flushed trace budget=1000 exiting=true published=1',
    ]);
    expect(result.code).toBe(1);
  });

  it('JTS_FATAL_FLUSH_WINDOW_MS sets the window; 0 ends the process at once, without an asynchronous flush', async () => {
    const short = await runFixture('uncaught', { env: { JTS_FATAL_FLUSH_WINDOW_MS: '150' } });
    expect(flushed(short.stdout)).toContain('flushed log budget=150 exiting=true');
    const none = await runFixture('uncaught', { env: { JTS_FATAL_FLUSH_WINDOW_MS: '0' } });
    expect(none.stdout).toContain('exiting fatal');
    expect(flushed(none.stdout)).toEqual([]);
    expect(none.stderr).toContain('boom from the app');
    expect(none.code).toBe(1);
  });

  it('unhandled rejection: flush within the fatal window, then exit code 1 with the reason', async () => {
    const result = await runFixture('rejection');
    expect(flushed(result.stdout)).toContain('flushed trace budget=1000 exiting=true');
    expect(result.stderr).toContain('rejected in the app');
    expect(result.code).toBe(1);
  });

  it.each([
    '0',
    '1',
  ])('event loop runs dry: flush once, then a normal exit 0 (received counts: %s)', async (counted) => {
    const result = await runFixture('drain', { env: { FIXTURE_COUNTED: counted } });
    expect(flushed(result.stdout)).toEqual(expect.arrayContaining(['flushed log budget=2000 exiting=false']));
    expect(flushed(result.stdout)).toHaveLength(2);
    expect(result.code).toBe(0);
  });

  it('work done in a beforeExit listener after the flush is flushed again when the flushers count their work', async () => {
    const result = await runFixture('drain-more-work', { env: { FIXTURE_COUNTED: '1' } });
    const lines = result.stdout.split('\n');
    expect(lines.indexOf('more work')).toBeGreaterThan(-1);
    // Two flushers, flushed at the first drain and again after the extra work.
    expect(flushed(result.stdout)).toHaveLength(4);
    expect(lines.slice(lines.indexOf('more work')).filter((line) => line.startsWith('flushed'))).toHaveLength(2);
    expect(result.code).toBe(0);
  });

  it('process.exit(): nothing asynchronous runs (only synchronous exit listeners would)', async () => {
    const result = await runFixture('process-exit');
    expect(flushed(result.stdout)).toEqual([]);
    expect(result.code).toBe(3);
  });
});
