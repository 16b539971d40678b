import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.js';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/sigterm-under-load.mjs', import.meta.url));

let receiver: OtlpReceiver;

const until = async (condition: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('fixture did not reach the expected load in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
beforeAll(() => {
  // `npm test` builds first; build here too when the test runs alone.
  if (!existsSync(`${packageDir}dist/index.js`)) spawnSync('npx', ['tsup'], { cwd: packageDir, stdio: 'ignore' });
}, 120_000);
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('SIGTERM under load', () => {
  it('exports every span that ended before the signal, within the deadline, then exits by the signal', async () => {
    const child = spawn(process.execPath, [fixture], {
      env: { ...process.env, FIXTURE_OTLP_URL: receiver.url, FIXTURE_DEADLINE_MS: '3000', OTEL_SDK_DISABLED: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastEnded = 0;
    let lastDropped = -1;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      for (const match of chunk.toString().matchAll(/ended=(\d+) dropped=(\d+)/g)) {
        lastEnded = Number(match[1]);
        lastDropped = Number(match[2]);
      }
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    // Let it run under load (about 2,000 spans/s) for a while: start-up time varies with machine load.
    await until(() => lastEnded >= 2000, 20_000);
    const endedBeforeSignal = lastEnded;
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    const exitMs = Date.now() - signalledAt;

    expect(stderr).toBe('');
    expect(signal ?? code).toBe('SIGTERM');
    expect(exitMs).toBeLessThan(3000 + 1500);
    expect(endedBeforeSignal).toBeGreaterThan(500);
    expect(lastDropped).toBe(0);
    const delivered = new Set(receiver.spans.map((span) => span.attributes['trading.order_id']));
    const missing = Array.from({ length: endedBeforeSignal }, (_, index) => `o-${index}`).filter(
      (id) => !delivered.has(id),
    );
    expect(missing).toEqual([]);
  });

  it('exits by the deadline when the collector never answers', async () => {
    receiver.setFault({ kind: 'hang' });
    const child = spawn(process.execPath, [fixture], {
      env: { ...process.env, FIXTURE_OTLP_URL: receiver.url, FIXTURE_DEADLINE_MS: '1000', OTEL_SDK_DISABLED: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let ended = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const match of chunk.toString().matchAll(/ended=(\d+)/g)) ended = Number(match[1]);
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    // More than one batch (512) has ended: an export is hanging or spans wait in the queue.
    await until(() => ended >= 1000, 20_000);
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    const exitMs = Date.now() - signalledAt;
    expect(exitMs).toBeGreaterThanOrEqual(900);
    expect(exitMs).toBeLessThan(1000 + 1500);
    expect(receiver.requests.length).toBeGreaterThan(0);
  });
});
