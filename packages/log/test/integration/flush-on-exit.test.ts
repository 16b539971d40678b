import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, PACKAGE_DIR } from '../support/ensure-built.js';
import { useShippingFixture } from '../../../log-elasticsearch/test/support/shipping-fixture.js';
import { inProcessShipper, sequences } from '../../../log-elasticsearch/test/support/shipping-harness.js';

const FIXTURE = join(PACKAGE_DIR, 'test', 'fixtures', 'exit-after-logging.mjs');
const STREAM = 'logs-jts.exit_fixture-default';

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  elapsedMs: number;
}

function runFixture(
  exitCase: string,
  env: Record<string, string>,
  onReady?: (child: ChildProcess) => void,
): Promise<Ended> {
  const started = Date.now();
  const child = spawn(process.execPath, [FIXTURE, exitCase], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.stdout!.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('ready')) onReady?.(child);
  });
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr, elapsedMs: Date.now() - started })),
  );
}

describe('flush on exit (fixture processes importing the built package)', () => {
  const fx = useShippingFixture();
  beforeAll(() => ensureBuilt());
  const env = () => ({ JTS_ES_URL: fx.es.url, JTS_LOG_SPOOL_DIR: fx.spool.root });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s: ships the last line, then dies by the signal', async (signal) => {
    const ended = await runFixture(signal, env(), (child) => child.kill(signal));
    expect(ended.signal).toBe(signal);
    expect(sequences(fx.es.documents(STREAM))).toEqual(Array.from({ length: 51 }, (_, seq) => seq));
    expect(fx.es.documents(STREAM).find((document) => document.seq === 50)?.message).toBe(`last line before ${signal}`);
  });

  it.each([
    ['uncaughtException', 'fixture crash'],
    ['unhandledRejection', 'fixture rejection'],
  ])('%s: ships the last line (also to jts-errors), then exits with code 1 and the error on stderr', async (exitCase, text) => {
    const ended = await runFixture(exitCase, env());
    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain(text);
    expect(sequences(fx.es.documents(STREAM))).toHaveLength(51);
    expect(fx.es.documents('jts-errors').map((document) => document.message)).toEqual([`last line before ${exitCase}`]);
  });

  it('keeps the deadline when Elasticsearch is down, and the spooled lines are shipped by the next start', async () => {
    await fx.es.down();
    const ended = await runFixture('SIGTERM', { ...env(), JTS_LOG_CLOSE_TIMEOUT_MS: '600' }, (child) =>
      child.kill('SIGTERM'),
    );
    expect(ended.signal).toBe('SIGTERM');
    expect(ended.elapsedMs).toBeLessThan(10_000);
    expect(fx.es.documents(STREAM)).toHaveLength(0);
    await fx.es.up();
    // The next start of the service finds the spool (same service, same spool root) and replays it.
    const next = inProcessShipper(
      fx.es.url,
      fx.spool.root,
      {},
      { name: 'exit-fixture', version: undefined, environment: 'test' },
    );
    expect(await next.destination.shipAll(5000)).toBe(true);
    expect(sequences(fx.es.documents(STREAM))).toEqual(Array.from({ length: 51 }, (_, seq) => seq));
    await next.close();
  });
});
