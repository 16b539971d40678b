// The instruction-count mode of the benchmarks: bench/harness.ts runs one case a given number of
// times (or lists the cases) when JTS_BENCH_COUNT says so, and scripts/count-instructions.mjs
// turns two valgrind runs of a case into instructions per operation.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryOrSkip } from './support/infra-binaries.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const suite = join(root, 'test/fixtures/count-suite.bench.ts');
const env = { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.bench.json') };
const results = join(root, 'bench/results/count-fixture.json');
const output = mkdtempSync(join(tmpdir(), 'jts-count-'));
afterAll(() => rmSync(output, { recursive: true, force: true }));

const runSuite = (extra: Record<string, string>) =>
  execFileSync(process.execPath, ['--import', 'tsx', suite], {
    cwd: root,
    env: { ...env, ...extra },
    encoding: 'utf8',
  });

describe('the harness in instruction-count mode', () => {
  it('lists the cases of a suite without running them', () => {
    const out = runSuite({ JTS_BENCH_COUNT: 'list' });
    const listed = out
      .split('\n')
      .filter((line) => line.startsWith('JTS_BENCH_CASE '))
      .map((line) => JSON.parse(line.slice('JTS_BENCH_CASE '.length)));
    expect(listed).toEqual([
      { suite: 'count-fixture', title: 'count fixture', case: 'light', baseline: true, operationsPerCall: 10 },
      { suite: 'count-fixture', title: 'count fixture', case: 'heavy', baseline: false, operationsPerCall: 10 },
      { suite: 'count-fixture', title: 'count fixture', case: 'sweep', baseline: false, operationsPerCall: 10 },
    ]);
    expect(out).toContain('FIXTURE_CALLS {"light":0,"heavy":0,"sweep":0}');
    expect(existsSync(results)).toBe(false);
  });

  it('calls one case the warm-up plus the counted number of times, and writes no result', () => {
    const out = runSuite({
      JTS_BENCH_COUNT: 'count-fixture/heavy',
      JTS_BENCH_COUNT_CALLS: '7',
      JTS_BENCH_COUNT_WARMUP: '3',
    });
    expect(out).toContain('JTS_BENCH_COUNTED {"case":"count-fixture/heavy","calls":7}');
    expect(out).toContain('FIXTURE_CALLS {"light":0,"heavy":10,"sweep":0} true');
    expect(existsSync(results)).toBe(false);
  });
});

describe('scripts/count-instructions.mjs', () => {
  it('gives instructions per operation in proportion to the work, per operation of a call', (context) => {
    binaryOrSkip('valgrind', context);
    execFileSync(
      process.execPath,
      [join(root, 'scripts/count-instructions.mjs'), suite, '--no-build', '--calls=0,40', '--warmup=10'],
      { cwd: root, env: { ...env, JTS_BENCH_INSTRUCTIONS_DIR: output }, encoding: 'utf8' },
    );
    const counted = JSON.parse(readFileSync(join(output, 'count-fixture.json'), 'utf8'));
    const [light, heavy, sweep] = counted.results;
    expect(light).toMatchObject({ name: 'light', baseline: true, ratio: 1 });
    // A JIT-compiled loop step is a handful of instructions: 20,000 steps per operation, not per
    // call of 10 operations.
    expect(light.instructionsPerOp).toBeGreaterThan(40_000);
    expect(light.instructionsPerOp).toBeLessThan(400_000);
    expect(heavy.name).toBe('heavy');
    expect(heavy.ratio).toBeGreaterThan(3.2);
    expect(heavy.ratio).toBeLessThan(4.8);
    expect(counted.calls).toEqual([0, 40]);
    // The simulated caches: a loop over registers touches no memory of its own (what it misses per
    // operation is the harness's and the compiler's, a few hundred at most, and the difference of
    // two runs can come out below zero); reading each line of 1 MiB misses the 32 KiB data L1 and
    // the 512 KiB last level about once per line, 16,384 times per operation.
    expect(counted.cacheGeometry).toEqual(['--I1=32768,8,64', '--D1=32768,8,64', '--LL=524288,8,64']);
    for (const misses of [light.d1MissesPerOp, light.llMissesPerOp, light.i1MissesPerOp])
      expect(Math.abs(misses)).toBeLessThan(1_000);
    expect(sweep.name).toBe('sweep');
    expect(Math.abs(sweep.i1MissesPerOp)).toBeLessThan(1_000);
    expect(sweep.d1MissesPerOp).toBeGreaterThan(15_000);
    expect(sweep.d1MissesPerOp).toBeLessThan(18_000);
    expect(sweep.llMissesPerOp).toBeGreaterThan(15_000);
    expect(sweep.llMissesPerOp).toBeLessThan(18_000);

    // Counting one case again, the same way, keeps the suite's other rows as they were.
    execFileSync(
      process.execPath,
      [
        join(root, 'scripts/count-instructions.mjs'),
        suite,
        '--no-build',
        '--calls=0,40',
        '--warmup=10',
        '--only=heavy',
      ],
      { cwd: root, env: { ...env, JTS_BENCH_INSTRUCTIONS_DIR: output }, encoding: 'utf8' },
    );
    const recounted = JSON.parse(readFileSync(join(output, 'count-fixture.json'), 'utf8'));
    expect(recounted.results.map((row: { name: string }) => row.name)).toEqual(['light', 'heavy', 'sweep']);
    expect(recounted.results[0]).toEqual(light);
    expect(recounted.results[2]).toEqual(sweep);
    expect(recounted.results[1].ratio).toBeGreaterThan(3.2);
    expect(recounted.results[1].ratio).toBeLessThan(4.8);
  }, 300_000);
});
