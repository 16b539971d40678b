import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onDiagnostic, orderExecution } from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Tracing, initTracing } from '../../src/index.js';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/short-script.ts', import.meta.url));
// Far longer than any of these runs takes: a process that waits for its deadline is killed by the
// test at KILL_AFTER_MS and the test fails on the signal instead of timing out.
const KILL_AFTER_MS = 20_000;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stats: { spans: { ended: number; exported: number; dropped: number; rejected: number } } | undefined;
  readonly stderr: string;
}

function runScript(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: root,
      env: { ...process.env, OTEL_SDK_DISABLED: '', JTS_TRACE_FLUSH_ON_EXIT: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const line = stdout.trim().split('\n').at(-1);
      resolve({ code, signal, stats: line ? JSON.parse(line) : undefined, stderr });
    });
  });
}

/** A URL on 127.0.0.1 where nothing listens (a receiver's port, closed again). */
async function deadUrl(): Promise<string> {
  const receiver = await startOtlpReceiver();
  await receiver.close();
  return receiver.url;
}

const warnings = (stderr: string) => stderr.match(/JTS_WARN_TRACE_COLLECTOR_UNREACHABLE/g) ?? [];

let receiver: OtlpReceiver | undefined;
let tracing: Tracing | undefined;
afterEach(async () => {
  await tracing?.close();
  tracing = undefined;
  await receiver?.close();
  receiver = undefined;
});

describe('a short script', () => {
  it('that never calls close() still exports every span: the drained event loop flushes', async () => {
    receiver = await startOtlpReceiver();
    const run = await runScript({ FIXTURE_OTLP_URL: receiver.url, FIXTURE_MODE: 'drain', FIXTURE_SPANS: '7' });
    expect(run).toMatchObject({ code: 0, signal: null });
    expect(receiver.spans.map((span) => span.attributes['trading.order_id']).sort()).toEqual(
      Array.from({ length: 7 }, (_, index) => `short-${index}`),
    );
    expect(run.stats?.spans).toMatchObject({ ended: 7, exported: 7, dropped: 0 });
  });

  it.each([
    'close',
    'drain',
  ])('with no collector (%s): says so once, drops and counts every span, and ends at once instead of at its deadline', async (mode) => {
    const run = await runScript({
      FIXTURE_OTLP_URL: await deadUrl(),
      FIXTURE_MODE: mode,
      FIXTURE_SPANS: '3',
      FIXTURE_CLOSE_MS: '600000',
    });
    expect(run).toMatchObject({ code: 0, signal: null });
    expect(warnings(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(
      /no OTLP collector reachable at http:\/\/127\.0\.0\.1:\d+\/v1\/traces .*ECONNREFUSED.*3 span\(s\) dropped.*OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(run.stats?.spans).toMatchObject({ ended: 3, exported: 0, dropped: 3, rejected: 0 });
  });
});

describe('close() and flush() with no collector, in process', () => {
  it('resolve long before the deadline, report once, and account for every span', async () => {
    const events: string[] = [];
    const stop = onDiagnostic(
      (diagnostic) => void (diagnostic.source === '@jts/trace' && events.push(diagnostic.event)),
    );
    try {
      tracing = initTracing({
        env: {},
        flushOnExit: false,
        instrumentFetch: false,
        closeTimeoutMs: 600_000,
        otlp: { url: await deadUrl() },
      });
      for (let index = 0; index < 4; index++) orderExecution.run({}, () => undefined);
      await tracing.flush();
      orderExecution.run({}, () => undefined);
      await tracing.close();
      const { spans } = tracing.stats();
      expect(spans).toMatchObject({ ended: 5, exported: 0, dropped: 5, rejected: 0 });
      expect(spans.exported + spans.dropped + spans.rejected).toBe(spans.ended);
      expect(events.filter((event) => event === 'collector_unreachable')).toHaveLength(1);
    } finally {
      stop();
    }
  });

  it('a deadline that passes with spans in flight counts them as dropped, and late answers change nothing', async () => {
    receiver = await startOtlpReceiver();
    receiver.setFault({ kind: 'hang' });
    tracing = initTracing({
      env: {},
      flushOnExit: false,
      instrumentFetch: false,
      closeTimeoutMs: 300,
      otlp: { url: receiver.url, timeoutMs: 60_000 },
    });
    for (let index = 0; index < 6; index++) orderExecution.run({}, () => undefined);
    await tracing.close();
    expect(tracing.stats().spans).toMatchObject({ ended: 6, exported: 0, dropped: 6 });
    await receiver.close(); // the hanging export now fails: already counted
    receiver = undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tracing.stats().spans).toMatchObject({ ended: 6, exported: 0, dropped: 6 });
  });
});
