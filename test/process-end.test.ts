import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '@jts/compliance';
import { type OtlpReceiver, startOtlpReceiver } from '../packages/trace/test/support/otlp-receiver.js';

// Whatever ends a process, the three signals it wrote before are all there afterwards: log lines
// in the file, spans at the collector, records in the audit trail (issue 11, deliverable 5).
const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = join(root, 'test/fixtures/process-end.ts');

interface Ended {
  readonly exit: NodeJS.Signals | number | null;
  readonly orders: number;
  readonly durable: number;
  readonly stderr: string;
}

let work: string;
let receiver: OtlpReceiver;
afterEach(async () => {
  await receiver?.close();
  rmSync(work, { recursive: true, force: true });
});

async function runService(
  mode: string,
  signal?: NodeJS.Signals,
): Promise<Ended & { logFile: string; auditDir: string; publicKey: string }> {
  work = mkdtempSync(join(tmpdir(), 'jts-process-end-'));
  receiver = await startOtlpReceiver();
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyFile = join(work, 'audit.key.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const logFile = join(work, 'service.log');
  const auditDir = join(work, 'audit');
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode, logFile, receiver.url, auditDir, keyFile], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      OTEL_SDK_DISABLED: '',
      JTS_FATAL_FLUSH_WINDOW_MS: '',
      JTS_TRACE_FLUSH_ON_EXIT: '',
      JTS_AUDIT_FLUSH_ON_EXIT: '',
      JTS_LOG_FLUSH_ON_EXIT: '',
    },
  });
  let orders = 0;
  let ordersAtSignal: number | undefined;
  let durable = -1;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    for (const match of text.matchAll(/orders=(\d+)/g)) orders = Number(match[1]);
    for (const match of text.matchAll(/durable=(-?\d+)/g)) durable = Number(match[1]);
    if (signal && orders >= 200 && !child.killed) {
      // Orders taken while the process flushes may or may not make it: count those before the signal.
      ordersAtSignal = orders;
      child.kill(signal);
    }
  });
  const exit = await new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('close', (code, exitSignal) => resolve(exitSignal ?? code)),
  );
  return {
    exit,
    orders: ordersAtSignal ?? orders,
    durable,
    stderr,
    logFile,
    auditDir,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const range = (count: number) => Array.from({ length: count }, (_, index) => index);
const missing = (expected: number[], seen: Iterable<unknown>) => {
  const have = new Set(seen);
  return expected.filter((n) => !have.has(n));
};
const logged = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { n?: number })
    .map((line) => line.n);
const traced = () => receiver.spans.map((span) => Number(String(span.attributes['trading.order_id']).slice(2)));
const audited = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as { type: string; payload: { n?: number } })
    .filter((record) => record.type === 'test.order')
    .map((record) => record.payload.n);

describe('what ends a process: every signal flushed within its deadline', () => {
  it.each([
    ['SIGTERM', 'signal', 'SIGTERM' as const, 'SIGTERM'],
    ['SIGINT', 'signal', 'SIGINT' as const, 'SIGINT'],
    ['an uncaught exception', 'uncaught', undefined, 1],
    ['a fatal unhandled rejection', 'rejection', undefined, 1],
    ['a drained event loop', 'drain', undefined, 0],
  ])('%s: log lines, spans and audit records of every order before it are all there', async (_name, mode, signal, exit) => {
    const ended = await runService(mode, signal);
    expect(ended.exit).toBe(exit);
    expect(ended.orders).toBeGreaterThanOrEqual(200);
    const before = range(ended.orders);
    expect(missing(before, logged(ended.logFile))).toEqual([]);
    expect(missing(before, traced())).toEqual([]);
    expect(missing(before, audited(ended.auditDir))).toEqual([]);
    // Sealed (ends with a checkpoint) unless the service took more orders while it flushed on the signal.
    expect(await verifyAuditTrail(ended.auditDir, ended.publicKey)).toMatchObject({
      ok: true,
      ...(signal === undefined && { sealed: true }),
    });
    if (mode === 'uncaught') expect(ended.stderr).toContain('fatal in the application');
  });

  it('process.exit(): log lines are all there (written synchronously on exit), the audit trail keeps every record whose promise resolved, spans still queued are lost', async () => {
    const ended = await runService('exit');
    expect(ended.exit).toBe(0);
    expect(ended.orders).toBe(200);
    expect(missing(range(200), logged(ended.logFile))).toEqual([]);
    const result = await verifyAuditTrail(ended.auditDir, ended.publicKey);
    expect(result.ok).toBe(true);
    expect(missing(range(ended.durable + 1), audited(ended.auditDir))).toEqual([]);
    // Nothing asynchronous runs inside process.exit(): the batch processor's queue is not exported.
    expect(traced().length).toBeLessThan(200);
  });
});
