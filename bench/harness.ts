import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';

/** One case of a comparison; exactly one case per comparison is the raw baseline. */
export interface BenchCase {
  readonly name: string;
  readonly fn: () => unknown;
  /** The raw baseline (raw pino, raw prom-client, raw OpenTelemetry, bare Express, plain call). */
  readonly baseline?: boolean;
  readonly setup?: () => unknown;
  readonly teardown?: () => unknown;
}

/** A goal stated as a ratio of the case's time per operation to the baseline's. */
export interface BenchGoal {
  /** Case whose ratio the goal is about. */
  readonly case: string;
  /** Case to compare with instead of the baseline (e.g. winston for "at least 2x winston"). */
  readonly against?: string;
  /** Text of the goal as the issue states it, e.g. "at most 1.2x raw OpenTelemetry". */
  readonly text: string;
  /** Largest acceptable (case time / baseline time); or use `minThroughputRatio`. */
  readonly maxTimeRatio?: number;
  /** Smallest acceptable (case ops/s / baseline ops/s). */
  readonly minThroughputRatio?: number;
  /** Largest acceptable time added to the baseline, in nanoseconds per operation. */
  readonly maxAddedNs?: number;
}

export interface ComparisonOptions {
  /** Result file name under bench/results, e.g. `core-operations`. */
  readonly suite: string;
  /** Title in docs/benchmarks.md. */
  readonly title: string;
  /** What is measured and how, one paragraph. */
  readonly description: string;
  readonly cases: readonly BenchCase[];
  readonly goals?: readonly BenchGoal[];
  /** Milliseconds per case. Default 1000 (JTS_BENCH_TIME overrides). */
  readonly time?: number;
  /**
   * Interleaved rounds: every case runs once per round for `time / rounds` (the order rotating
   * each round), and a case's figure is the median of its rounds' means, its `rme` the spread of
   * those means (max - min, in % of the median). Its ratio to the baseline, and every goal, is the
   * median of the ratios of the same round (paired ratios, see {@link pairedRatios}). For suites
   * whose cases are set up once and never torn down; on a machine whose speed drifts within
   * seconds, cases measured one after another compare moments, not code. Default 1
   * (JTS_BENCH_ROUNDS overrides).
   */
  readonly rounds?: number;
  /**
   * Operations each `fn` call performs (a loop inside `fn` amortises the harness's own per-call
   * overhead, which is tens of nanoseconds). Reported figures are per operation. Default 1.
   */
  readonly operationsPerCall?: number;
}

export interface CaseResult {
  readonly name: string;
  readonly baseline: boolean;
  readonly nsPerOp: number;
  readonly opsPerSec: number;
  readonly rme: number;
  readonly samples: number;
  /**
   * Time per op relative to the baseline (1 = same, 0.5 = twice as fast); with rounds, the median
   * of {@link CaseResult.roundRatios}.
   */
  readonly timeRatio: number;
  /** With rounds: the case's ratio to the baseline in each round, in the order of the rounds. */
  readonly roundRatios?: readonly number[];
}

// JTS_BENCH_RESULTS_DIR: where a suite writes its result (tests of the harness write to a temporary directory).
const resultsDir = process.env.JTS_BENCH_RESULTS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), 'results');

/** What a suite records for `scripts/run-benchmarks.mjs` (node version and date are added). */
export interface SuiteResult {
  readonly suite: string;
  readonly title: string;
  readonly description: string;
  readonly results: readonly object[];
  readonly goals?: readonly object[];
  /** `startup`: rows carry added time and heap instead of ns/op; `order-path`: ns, p99 and bytes per order. */
  readonly layout?: 'startup' | 'order-path';
  readonly notes?: string;
}

/** The median of some figures (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The ratio of a case to its reference in each round, from the two cases' means of the same
 * rounds (time per op, case / reference). A slow moment of a shared machine slows both sides of a
 * round's ratio, where a ratio of two medians could pair a case's fast rounds with the reference's
 * slow ones. Rounds where either mean is missing or not positive are left out.
 *
 * @param caseMeans - the case's mean time per op, one per round
 * @param referenceMeans - the reference's, the same rounds in the same order
 * @returns the ratios of the rounds both were measured in
 */
export function pairedRatios(caseMeans: readonly number[], referenceMeans: readonly number[]): number[] {
  const ratios: number[] = [];
  for (let round = 0; round < Math.min(caseMeans.length, referenceMeans.length); round++) {
    const value = caseMeans[round]!;
    const reference = referenceMeans[round]!;
    if (Number.isFinite(value) && Number.isFinite(reference) && value > 0 && reference > 0)
      ratios.push(value / reference);
  }
  return ratios;
}

/** Writes `bench/results/<suite>.json`, which `scripts/run-benchmarks.mjs` renders into `docs/benchmarks.md`. */
export function writeSuiteResult(result: SuiteResult): void {
  const { suite, title, description, layout, results, goals, notes } = result;
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, `${suite}.json`),
    `${JSON.stringify({ suite, title, description, ...(layout && { layout }), node: process.version, date: new Date().toISOString(), results, goals: goals ?? [], ...(notes && { notes }) }, null, 2)}\n`,
  );
}

/**
 * Instruction-count mode, driven by `scripts/count-instructions.mjs` (which runs the suite under
 * valgrind): `JTS_BENCH_COUNT=list` prints the cases instead of measuring them;
 * `JTS_BENCH_COUNT=<suite>/<case>` calls that case's `fn` `JTS_BENCH_COUNT_CALLS` times after
 * `JTS_BENCH_COUNT_WARMUP` untimed calls, then ends the process (no result is written).
 */
const COUNT = process.env.JTS_BENCH_COUNT;

/** A case's key in instruction-count mode (the script builds the same from the listed cases). */
const countKey = (suite: string, name: string): string => `${suite}/${name}`;

async function countCase(options: ComparisonOptions): Promise<void> {
  if (COUNT === 'list') {
    for (const item of options.cases) {
      const line = {
        suite: options.suite,
        title: options.title,
        case: item.name,
        baseline: item.baseline === true,
        operationsPerCall: options.operationsPerCall ?? 1,
      };
      process.stdout.write(`JTS_BENCH_CASE ${JSON.stringify(line)}\n`);
    }
    return;
  }
  const item = options.cases.find((candidate) => countKey(options.suite, candidate.name) === COUNT);
  if (item === undefined) return;
  const warmup = Number(process.env.JTS_BENCH_COUNT_WARMUP ?? 200);
  const calls = Number(process.env.JTS_BENCH_COUNT_CALLS ?? 0);
  await item.setup?.();
  for (let call = 0; call < warmup + calls; call++) await item.fn();
  await item.teardown?.();
  process.stdout.write(`JTS_BENCH_COUNTED ${JSON.stringify({ case: COUNT, calls })}\n`);
  // Nothing after the counted calls is of interest (the rest of the suite file would only add the
  // same work to both runs of the count): end here.
  process.exit(0);
}

/**
 * Runs the cases in one process, one after another (in interleaved rounds when asked: see
 * {@link ComparisonOptions.rounds}), and writes `bench/results/<suite>.json` for
 * `scripts/run-benchmarks.mjs`, which renders `docs/benchmarks.md`. In instruction-count mode
 * (`JTS_BENCH_COUNT`), runs one case untimed instead, or lists the cases, and returns no result.
 */
export async function compare(options: ComparisonOptions): Promise<CaseResult[]> {
  if (COUNT !== undefined) {
    await countCase(options);
    return [];
  }
  const time = Number(process.env.JTS_BENCH_TIME ?? options.time ?? 1000);
  const rounds = Math.max(1, Math.round(Number(process.env.JTS_BENCH_ROUNDS ?? options.rounds ?? 1)));
  const perRound = new Map<string, { meanMs: number; rme: number; samples: number }[]>(
    options.cases.map((item) => [item.name, []]),
  );
  for (let round = 0; round < rounds; round++) {
    const roundTime = time / rounds;
    const bench = new Bench({ time: roundTime, warmupTime: Math.min(250, roundTime / 4) });
    const order = options.cases.map((_item, index) => options.cases[(index + round) % options.cases.length]!);
    for (const item of order) {
      bench.add(item.name, item.fn, {
        ...(item.setup && { beforeAll: item.setup as () => void }),
        ...(item.teardown && { afterAll: item.teardown as () => void }),
      });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result as unknown as {
        latency?: { mean: number; rme: number; samplesCount?: number; samples?: number[] };
      };
      perRound.get(task.name)!.push({
        meanMs: (result.latency?.mean ?? Number.NaN) / (options.operationsPerCall ?? 1),
        rme: result.latency?.rme ?? Number.NaN,
        samples: result.latency?.samplesCount ?? result.latency?.samples?.length ?? 0,
      });
    }
  }
  const baseline = options.cases.find((item) => item.baseline);
  const meansOf = (name: string | undefined) =>
    name === undefined ? [] : (perRound.get(name)?.map((entry) => entry.meanMs) ?? []);
  // With rounds, every ratio is paired: the median of the ratios of the same round.
  const paired = rounds > 1;
  const ratioOf = (name: string, reference: string | undefined, nsPerOp: number, referenceNs: number) => {
    if (!paired) return { timeRatio: nsPerOp / referenceNs, roundRatios: undefined };
    const ratios = pairedRatios(meansOf(name), meansOf(reference));
    return { timeRatio: ratios.length > 0 ? median(ratios) : Number.NaN, roundRatios: ratios };
  };
  const rows = options.cases.map((item) => {
    const measured = perRound.get(item.name)!;
    const means = measured.map((entry) => entry.meanMs);
    const meanMs = median(means);
    return {
      name: item.name,
      baseline: item.name === baseline?.name,
      nsPerOp: meanMs * 1e6,
      opsPerSec: 1000 / meanMs,
      rme: rounds === 1 ? measured[0]!.rme : ((Math.max(...means) - Math.min(...means)) / meanMs) * 100,
      samples: measured.reduce((sum, entry) => sum + entry.samples, 0),
    };
  });
  const baseNs = rows.find((row) => row.baseline)?.nsPerOp ?? Number.NaN;
  const rounded = (ratios: readonly number[] | undefined) => ratios?.map((ratio) => Math.round(ratio * 1000) / 1000);
  const results: CaseResult[] = rows.map((row) => {
    const { timeRatio, roundRatios } = ratioOf(row.name, baseline?.name, row.nsPerOp, baseNs);
    return {
      ...row,
      timeRatio,
      ...(roundRatios !== undefined && !row.baseline && { roundRatios: rounded(roundRatios) }),
    };
  });
  const goals = (options.goals ?? []).map((goal) => {
    const row = results.find((candidate) => candidate.name === goal.case);
    const reference = goal.against ?? baseline?.name;
    const referenceNs =
      goal.against === undefined
        ? baseNs
        : (results.find((candidate) => candidate.name === goal.against)?.nsPerOp ?? Number.NaN);
    const { timeRatio, roundRatios } = ratioOf(goal.case, reference, row?.nsPerOp ?? Number.NaN, referenceNs);
    // The time added is paired the same way: the median of the rounds' differences.
    const referenceMeans = meansOf(reference);
    const addedNs = paired
      ? median(
          meansOf(goal.case)
            .map((mean, round) => (mean - (referenceMeans[round] ?? Number.NaN)) * 1e6)
            .filter(Number.isFinite),
        )
      : (row?.nsPerOp ?? Number.NaN) - referenceNs;
    let met: boolean | undefined;
    if (goal.maxTimeRatio !== undefined) met = timeRatio <= goal.maxTimeRatio;
    else if (goal.minThroughputRatio !== undefined) met = 1 / timeRatio >= goal.minThroughputRatio;
    else if (goal.maxAddedNs !== undefined) met = addedNs <= goal.maxAddedNs;
    return {
      ...goal,
      timeRatio,
      addedNs,
      met,
      ...(roundRatios !== undefined && { roundRatios: rounded(roundRatios) }),
    };
  });
  writeSuiteResult({ suite: options.suite, title: options.title, description: options.description, results, goals });
  console.table(
    results.map((row) => ({
      case: row.name,
      'ns/op': row.nsPerOp.toFixed(1),
      'ops/s': Math.round(row.opsPerSec),
      '±%': row.rme.toFixed(2),
      'x baseline': row.timeRatio.toFixed(3),
    })),
  );
  for (const goal of goals)
    console.log(
      `${goal.met ? 'MET' : 'NOT MET'}: ${goal.text} (time ratio ${goal.timeRatio.toFixed(3)}, added ${goal.addedNs.toFixed(1)} ns/op)`,
    );
  return results;
}

/**
 * The environment a benchmark child process runs tsx with: `tsconfig.bench.json`, which has
 * no `paths`, so every `@jts/` import resolves to the built package (its `dist`), as in a service.
 */
export const BENCH_TSX_ENV: Readonly<Record<string, string>> = {
  TSX_TSCONFIG_PATH: fileURLToPath(new URL('../tsconfig.bench.json', import.meta.url)),
};
