// The timing mode of bench/harness.ts with interleaved rounds: every ratio to the baseline (and
// every goal) is the median of the ratios of the same round (paired ratios).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { median, pairedRatios } from '../bench/harness.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = mkdtempSync(join(tmpdir(), 'jts-rounds-'));
afterAll(() => rmSync(output, { recursive: true, force: true }));

describe('pairedRatios', () => {
  it('divides each round by the same round of the reference', () => {
    expect(pairedRatios([2, 4, 6], [1, 2, 2])).toEqual([2, 2, 3]);
  });

  it('differs from a ratio of medians when the machine changes speed between rounds', () => {
    // The reference's slow round (16) is its median, and the case's median (20) is from another
    // round: the ratio of medians pairs them (1.25), the rounds' own ratios do not (2, 1.875, 1.05).
    const heavy = [10, 30, 20];
    const light = [5, 16, 19];
    expect(median(pairedRatios(heavy, light))).toBeCloseTo(1.875);
    expect(median(heavy) / median(light)).toBeCloseTo(1.25);
  });

  it('leaves out rounds where either side is missing or not a positive time', () => {
    expect(pairedRatios([2, Number.NaN, 6, 8], [1, 2, 0])).toEqual([2]);
    expect(pairedRatios([], [1])).toEqual([]);
  });
});

describe('compare() in rounds', () => {
  it('records each round ratio and reports their median as the ratio and the goal', () => {
    // The suite's own rounds and time: overrides from the caller's environment are dropped.
    const { JTS_BENCH_ROUNDS: _rounds, JTS_BENCH_TIME: _time, ...inherited } = process.env;
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'test/fixtures/rounds-suite.bench.ts')], {
      cwd: root,
      env: { ...inherited, TSX_TSCONFIG_PATH: join(root, 'tsconfig.bench.json'), JTS_BENCH_RESULTS_DIR: output },
      encoding: 'utf8',
    });
    expect(out).toContain('FIXTURE_DONE true');
    const written = JSON.parse(readFileSync(join(output, 'rounds-fixture.json'), 'utf8'));
    const [light, heavy] = written.results;
    expect(light).toMatchObject({ name: 'light', baseline: true, timeRatio: 1 });
    expect(light.roundRatios).toBeUndefined();
    expect(heavy.roundRatios).toHaveLength(3);
    // The recorded rounds are rounded to 3 decimals; the ratio is their median.
    expect(Math.abs(heavy.timeRatio - median(heavy.roundRatios))).toBeLessThan(0.001);
    // Four times the work: the ratio of a JIT-compiled loop is near 4 on any machine.
    expect(heavy.timeRatio).toBeGreaterThan(2.5);
    expect(heavy.timeRatio).toBeLessThan(6);
    const [heavyGoal, lightGoal] = written.goals;
    expect(heavyGoal).toMatchObject({ met: true, roundRatios: heavy.roundRatios });
    expect(heavyGoal.timeRatio).toBe(heavy.timeRatio);
    // Against another case than the baseline: the inverse ratios, round by round.
    expect(lightGoal.roundRatios).toHaveLength(3);
    for (const [round, ratio] of (lightGoal.roundRatios as number[]).entries()) {
      expect(ratio * heavy.roundRatios[round]).toBeCloseTo(1, 2);
    }
    expect(lightGoal.met).toBe(false);
    expect(lightGoal.addedNs).toBeLessThan(0);
  }, 60_000);
});
