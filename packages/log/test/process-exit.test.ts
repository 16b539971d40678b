import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaErrors } from './helpers/capture.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./helpers/logging-fixture.ts', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'jts-log-exit-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function run(mode: string, file?: string, env: Record<string, string> = {}, preload: string[] = []) {
  const cleanEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const key of ['JTS_LOG_PRETTY', 'JTS_LOG_SYNC', 'JTS_LOG_FILE', 'NODE_OPTIONS'])
    if (!(key in env)) delete cleanEnv[key];
  const args = ['--import', 'tsx', ...preload, fixture, mode, ...(file ? [file] : [])];
  return spawnSync(process.execPath, args, { cwd: root, env: cleanEnv, encoding: 'utf8', timeout: 30_000 });
}

function sequenceNumbers(text: string): number[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(schemaErrors(record)).toBe('');
      return Number(record.seq);
    });
}

describe('the default destination and the end of the process', () => {
  it('writes JSON lines to stdout by default', () => {
    const result = run('stdout');
    expect(result.status).toBe(0);
    expect(sequenceNumbers(result.stdout)).toEqual([0, 1, 2]);
    expect(result.stdout).not.toMatch(/\u001b|\r|\u009b/);
  });

  const hide = new URL('./helpers/hide-modules.mjs', import.meta.url).href;

  it('works without the optional peer @opentelemetry/api', () => {
    const result = run('stdout', undefined, { HIDE_MODULES: '@opentelemetry/api' }, ['--import', hide]);
    expect(result.stderr).toContain('blocked @opentelemetry/api');
    expect(result.status).toBe(0);
    expect(sequenceNumbers(result.stdout)).toEqual([0, 1, 2]);
  });

  it('asks for @jts/log-elasticsearch only when elasticsearch is configured, and names it with the install command when missing', () => {
    const result = run('elasticsearch', undefined, { HIDE_MODULES: '@jts/log-elasticsearch' }, ['--import', hide]);
    expect(result.stderr).toContain('blocked @jts/log-elasticsearch');
    expect(JSON.parse(result.stdout)).toEqual({
      code: 'JTS_ERR_MISSING_DEPENDENCY',
      message: expect.stringMatching(
        /elasticsearch.*needs the package @jts\/log-elasticsearch.*npm install @jts\/log-elasticsearch/,
      ),
    });
    // A plain logger never asks for it (the stdout case above hides nothing, this one hides it).
    const plain = run('stdout', undefined, { HIDE_MODULES: '@jts/log-elasticsearch' }, ['--import', hide]);
    expect(plain.stderr).not.toContain('blocked');
    expect(sequenceNumbers(plain.stdout)).toEqual([0, 1, 2]);
  });

  it('falls back to JSON lines with a coded warning when pino-pretty is not installed', () => {
    const result = run('stdout', undefined, { HIDE_MODULES: 'pino-pretty', JTS_LOG_PRETTY: 'true' }, [
      '--import',
      hide,
    ]);
    expect(result.stderr).toContain('blocked pino-pretty');
    expect(result.stderr).toContain('JTS_WARN_PRETTY_UNAVAILABLE');
    expect(sequenceNumbers(result.stdout)).toEqual([0, 1, 2]);
  });

  it('prints through pino-pretty with JTS_LOG_PRETTY=true, control characters made visible', () => {
    const result = run('pretty', undefined, { JTS_LOG_PRETTY: 'true' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/INFO.*pretty evil\\u001b\[2J/);
    expect(result.stdout).not.toMatch(/^\{"log.level"/m);
    expect(result.stdout).not.toMatch(/\u001b\[2J|\r|\u009b/);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('FAKE LINE'))).toEqual([]);
  });

  for (const [mode, expectedStatus, expectedSignal] of [
    ['sigterm', null, 'SIGTERM'],
    ['sigint', null, 'SIGINT'],
    ['uncaught', 1, null],
    ['rejection', 1, null],
    ['exit', 3, null],
  ] as const) {
    it(`keeps every line waiting in the asynchronous stdout destination (a pipe) on ${mode}`, () => {
      const result = run(mode);
      expect(result.signal).toBe(expectedSignal);
      expect(result.status).toBe(expectedStatus);
      const seq = sequenceNumbers(result.stdout);
      expect(seq).toHaveLength(2000);
      expect([...seq].sort((a, b) => a - b)).toEqual(Array.from({ length: 2000 }, (_, index) => index));
    });

    it(`keeps every line of a file destination on ${mode}`, () => {
      const file = join(directory, `${mode}.log`);
      const result = run(mode, file);
      expect(result.signal).toBe(expectedSignal);
      expect(result.status).toBe(expectedStatus);
      // Every line exactly once. (Order is kept in practice, but a write still in flight on the
      // thread pool at exit is only waited for briefly, so the test does not depend on it.)
      const seq = sequenceNumbers(readFileSync(file, 'utf8'));
      expect(seq).toHaveLength(2000);
      expect([...seq].sort((a, b) => a - b)).toEqual(Array.from({ length: 2000 }, (_, index) => index));
    });
  }
});
