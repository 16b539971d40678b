// Every signal that flushes on exit shares @jts/core's one set of process listeners: with a logger
// and tracing in one process, SIGTERM must still end the process (by the signal), after both have
// flushed. Separate listeners per package would each see "another listener" and none would exit.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const fixture = join(import.meta.dirname, '../fixtures/signals.mjs');
const directory = mkdtempSync(join(tmpdir(), 'jts-exit-'));
let spans = 0;
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk));
  req.on('end', () => {
    for (const resource of JSON.parse(body).resourceSpans ?? [])
      for (const scope of resource.scopeSpans ?? []) spans += scope.spans?.length ?? 0;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
let otlpUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  otlpUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => {
  receiver.close();
  rmSync(directory, { recursive: true, force: true });
});

describe.each(['SIGTERM', 'SIGINT'] as const)('%s with a logger and tracing in one process', (signal) => {
  it('flushes both and ends by the signal', async () => {
    spans = 0;
    const file = join(directory, `${signal}.log`);
    const child = spawn(process.execPath, [fixture, file, otlpUrl], {
      cwd: join(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()),
    );
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, exitSignal) => resolve(exitSignal ?? code)),
    );
    child.kill(signal);
    expect(await exited, stderr).toBe(signal);
    const sequences = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).sequence as number);
    // No gap: every line logged before the signal reached the file.
    expect(sequences.length).toBeGreaterThanOrEqual(500);
    expect(sequences).toEqual(Array.from({ length: sequences.length }, (_, index) => index + 1));
    // The batch processor's 60 s delay never fired: these spans were exported by the exit flush.
    // Every order that ended before the signal (at least the 500 before "ready") has its span;
    // orders logged while the flush ran, after tracing stopped, have none.
    expect(spans).toBeGreaterThanOrEqual(500);
    expect(spans).toBeLessThanOrEqual(sequences.length);
  }, 30_000);
});
