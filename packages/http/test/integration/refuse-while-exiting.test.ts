import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { send } from '../support/signals.js';

const fixture = fileURLToPath(new URL('../fixtures/exiting-server.ts', import.meta.url));

it('answers 503 with connection: close while the process flushes after a fatal error, then exits 1', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'jts-exiting-'));
  const logFile = join(directory, 'service.log');
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, logFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, JTS_FATAL_FLUSH_WINDOW_MS: '1500' },
  });
  try {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const found = /LISTENING (\d+)/.exec(output);
        if (found) resolve(Number(found[1]));
      });
      child.once('exit', (code) => reject(new Error(`fixture exited with ${code} before listening`)));
    });
    const url = `http://127.0.0.1:${port}`;
    expect((await send(`${url}/orders/1`)).status).toBe(200);
    expect((await send(`${url}/crash`)).body).toBe('crashing');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await send(`${url}/orders/2`);
    expect([refused.status, refused.headers.connection, refused.headers['retry-after']]).toEqual([503, 'close', '1']);
    // Scrapes and probes (excluded paths) are still served while the process ends.
    expect((await send(`${url}/metrics`)).body).toBe('ok');
    expect(await exited).toBe(1);
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The request served before the crash is in the log; the refused one made no run and no line.
    expect(lines.filter((line) => line.message === 'served')).toHaveLength(1);
    expect(lines.some((line) => line['url.path'] === '/orders/2')).toBe(false);
  } finally {
    child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  }
});
