#!/usr/bin/env node
// Counts the CPU instructions per operation of the benchmark cases with valgrind's cachegrind, and
// renders them into docs/benchmarks.md beside the times. Unlike a time, an instruction count does
// not depend on what else the machine runs (repeat counts still vary by some per cent: when the
// collector and the compilers run differs from run to run), where times on a shared machine spread
// by tens of per cent. It does not see system calls waiting on the kernel, so it complements the
// times, not replaces them. Beside the instructions, cachegrind simulates the caches of one core
// (CACHE_GEOMETRY below) and counts their misses per operation: how much code and memory an
// operation touches, which instruction counts alone do not show and which costs most when other
// work (the kernel's network path, a load generator) has evicted the caches between operations.
//
// Each case runs alone in a process under valgrind (`node --single-threaded`: the collector and the
// compilers run on the main thread, so their work is counted the same way every run; and the V8
// flags of COUNT_V8_FLAGS below, so that the collector's schedule does not follow the clock), twice: after
// the same warm-up, once for A calls and once for B calls of its function. The difference of the
// two totals, divided by (B - A) and by the suite's operations per call, is the case's count per
// operation: start-up, loading and warm-up cancel out. See `JTS_BENCH_COUNT` in bench/harness.ts.
//   node scripts/count-instructions.mjs http express     the suites whose path contains a word
//   node scripts/count-instructions.mjs path/to/x.bench.ts   a suite file named by its path
//   options: --calls=0,500 (A,B)  --warmup=200  --no-build
//            --only=<text>  only the cases whose `<suite>/<case>` contains the text (repeatable)
// Needs valgrind (Debian: apt-get install valgrind). Writes bench/results/instructions/<suite>.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { benchFiles } from './bench-files.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name, fallback) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const [callsA, callsB] = option('calls', '0,500').split(',').map(Number);
const warmup = Number(option('warmup', '200'));
const filters = args.filter((arg) => !arg.startsWith('--'));
const only = args.filter((arg) => arg.startsWith('--only=')).map((arg) => arg.slice('--only='.length));
const outDir = process.env.JTS_BENCH_INSTRUCTIONS_DIR ?? join(root, 'bench/results/instructions');

if (!(Number.isInteger(callsA) && Number.isInteger(callsB) && callsA >= 0 && callsB > callsA && warmup >= 0)) {
  console.error('--calls=A,B needs whole numbers with B > A >= 0, and --warmup a whole number >= 0');
  process.exit(2);
}
const valgrind = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
if (valgrind.status !== 0) {
  console.error('valgrind is not installed (Debian: apt-get install valgrind): no instruction can be counted');
  process.exit(2);
}
const valgrindVersion = valgrind.stdout.trim();

if (!args.includes('--no-build')) {
  console.log('▶ build packages (the suites load packages/*/dist)');
  const build = spawnSync(process.execPath, [join(root, 'scripts/task.mjs'), 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// No tsconfig paths: @jts/* inside the built packages resolves to their dist (see tsconfig.bench.json).
const env = { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.bench.json') };

/** The cases of a suite file, as its compare() calls list them. */
function listCases(file) {
  const listed = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    encoding: 'utf8',
    env: { ...env, JTS_BENCH_COUNT: 'list' },
  });
  const cases = listed.stdout
    .split('\n')
    .filter((line) => line.startsWith('JTS_BENCH_CASE '))
    .map((line) => JSON.parse(line.slice('JTS_BENCH_CASE '.length)));
  if (listed.status !== 0)
    console.error(
      `  (listing exited with ${listed.status}; ${cases.length} cases listed before)\n${listed.stderr.slice(-2000)}`,
    );
  return cases;
}

// V8 sizes the young generation, and so schedules its collections, from allocation rates it
// measures against the clock, which runs some fifty times slower under valgrind and varies with
// the machine's load. Fixed sizes and V8's predictable mode take the clock out: three counts of the
// benchmarks' Express 5 app, bare (13,000 requests counted after warm-up), spread by 142 million
// instructions without these flags (about 11,000 per request, of about 480,000), and by 19 million
// (about 1,500 per request) with them.
// A small change of the program can still move which requests a collection falls on, so a
// difference of a few per cent between two builds is read with care (repeat it).
const COUNT_V8_FLAGS = [
  '--single-threaded',
  '--predictable',
  '--min-semi-space-size=16',
  '--max-semi-space-size=16',
  '--initial-old-space-size=512',
];

// The caches cachegrind simulates, fixed so that counts do not follow the host (the virtual machines
// this project measures on report a 508 MiB last level): an L1 of 32 KiB for instructions and one
// for data, 8-way, and a last level of 512 KiB, 8-way: one core's L2 on AMD's Zen 2 and Zen 3 EPYC
// parts (later cores have more). A miss of that last level stands for a miss of a core's L2: under
// load, where the kernel and the other processes share the L3, those are the misses that cost.
const CACHE_GEOMETRY = ['--I1=32768,8,64', '--D1=32768,8,64', '--LL=524288,8,64'];

/** What cachegrind's summary of one run gives: instructions, and misses of each simulated cache. */
function summaryOf(err) {
  const count = (pattern) => {
    const found = pattern.exec(err);
    return found === null ? undefined : Number(found[1].replaceAll(',', ''));
  };
  const summary = {
    instructions: count(/I\s+refs:\s+([\d,]+)/),
    i1Misses: count(/I1\s+misses:\s+([\d,]+)/),
    d1Misses: count(/D1\s+misses:\s+([\d,]+)/),
    llMisses: count(/LL misses:\s+([\d,]+)/),
  };
  return Object.values(summary).every((value) => value !== undefined) ? summary : undefined;
}

/** cachegrind's summary of one run of one case for `calls` calls. */
function countRun(file, key, calls) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'valgrind',
      [
        '--tool=cachegrind',
        '--cache-sim=yes',
        ...CACHE_GEOMETRY,
        '--cachegrind-out-file=/dev/null',
        '--smc-check=all-non-file',
        process.execPath,
        ...COUNT_V8_FLAGS,
        '--import',
        'tsx',
        file,
      ],
      {
        cwd: root,
        env: {
          ...env,
          JTS_BENCH_COUNT: key,
          JTS_BENCH_COUNT_CALLS: String(calls),
          JTS_BENCH_COUNT_WARMUP: String(warmup),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', () => {
      const summary = summaryOf(err);
      if (!out.includes('JTS_BENCH_COUNTED') || summary === undefined)
        return reject(new Error(`${key} (${calls} calls) did not run to its count:\n${err.slice(-2000)}`));
      resolve(summary);
    });
  });
}

// Words select among the repository's suites; a path to a file names a suite of its own.
const named = filters.filter((word) => word.endsWith('.ts') && existsSync(word)).map((file) => resolve(file));
const words = filters.filter((word) => !named.includes(resolve(word)));
const selected = [
  ...named,
  ...(words.length || !named.length
    ? benchFiles(root).filter((file) => !words.length || words.some((word) => relative(root, file).includes(word)))
    : []),
];

let failures = 0;
for (const file of selected) {
  const path = relative(root, file);
  console.log(`\n▶ ${path}`);
  const bySuite = new Map();
  for (const item of listCases(file)) {
    const key = `${item.suite}/${item.case}`;
    if (only.length && !only.some((text) => key.includes(text))) continue;
    try {
      // The two runs of a case at once: one per core of a two-core machine.
      const [a, b] = await Promise.all([countRun(file, key, callsA), countRun(file, key, callsB)]);
      const perOp = (field) => (b[field] - a[field]) / ((callsB - callsA) * item.operationsPerCall);
      const row = {
        name: item.case,
        baseline: item.baseline,
        instructionsPerOp: perOp('instructions'),
        i1MissesPerOp: perOp('i1Misses'),
        d1MissesPerOp: perOp('d1Misses'),
        llMissesPerOp: perOp('llMisses'),
      };
      const shown = (value) => Math.round(value).toLocaleString('en-US');
      console.log(
        `  ${key}: ${shown(row.instructionsPerOp)} instructions/op; misses/op: I1 ${shown(row.i1MissesPerOp)}, D1 ${shown(row.d1MissesPerOp)}, LL ${shown(row.llMissesPerOp)}`,
      );
      if (!bySuite.has(item.suite)) bySuite.set(item.suite, { title: item.title, rows: [] });
      bySuite.get(item.suite).rows.push(row);
    } catch (error) {
      failures++;
      console.error(`✖ ${error.message}`);
    }
  }
  mkdirSync(outDir, { recursive: true });
  for (const [suite, { title, rows: countedRows }] of bySuite) {
    // A count of some of a suite's cases (--only, or a case that failed) keeps the suite's other
    // rows when they were counted the same way; otherwise the file holds this count alone.
    const target = join(outDir, `${suite}.json`);
    const before = existsSync(target) ? JSON.parse(readFileSync(target, 'utf8')) : undefined;
    const sameWay =
      before?.node === process.version &&
      before.warmup === warmup &&
      before.calls?.join() === [callsA, callsB].join() &&
      before.v8Flags?.join() === COUNT_V8_FLAGS.join() &&
      before.cacheGeometry?.join() === CACHE_GEOMETRY.join();
    const fresh = new Map(countedRows.map((row) => [row.name, row]));
    const earlier = sameWay ? before.results.map(({ ratio, ...row }) => fresh.get(row.name) ?? row) : [];
    const rows = [...earlier, ...countedRows.filter((row) => !earlier.includes(row))];
    const base = rows.find((row) => row.baseline)?.instructionsPerOp ?? Number.NaN;
    const results = rows.map((row) => ({ ...row, ratio: row.instructionsPerOp / base }));
    const counted = {
      suite,
      title,
      node: process.version,
      valgrind: valgrindVersion,
      date: new Date().toISOString(),
      calls: [callsA, callsB],
      warmup,
      v8Flags: COUNT_V8_FLAGS,
      cacheGeometry: CACHE_GEOMETRY,
      results,
    };
    writeFileSync(target, `${JSON.stringify(counted, null, 2)}\n`);
  }
}

if (outDir === join(root, 'bench/results/instructions')) {
  spawnSync(process.execPath, [join(root, 'scripts/run-benchmarks.mjs'), '--render'], { cwd: root, stdio: 'inherit' });
}
process.exit(failures === 0 ? 0 : 1);
