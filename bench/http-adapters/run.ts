// The HTTP adapter benchmark (issue 12, item 5): every server case in servers/*.ts runs as its
// own process; autocannon drives it from this process. The cases of one family (express-*,
// node-http-*, nest-*) run side by side for the family's whole turn: each is started and warmed up
// once, then the family's cases are driven one after another, one load each per round (the order
// rotating each round), so that a case and its baseline are measured seconds apart. The ratio of
// the two in each round is the paired ratio; a case's ratio to its baseline, and each goal, is the
// median of its paired ratios (a slow minute of a shared machine then moves both sides of a ratio,
// not one). Medians of req/s and p99 are reported too. Writes bench/results/http-adapters.json
// (on the oldest Node major that `engines` allows) or http-adapters-node<major>.json (on any other:
// the servers run on the Node that runs this script, so `/path/to/node24 --import tsx
// bench/http-adapters/run.ts` measures Node 24 and keeps the stored results of the others);
// `node scripts/run-benchmarks.mjs --render` puts them into docs/benchmarks.md. A benchmark, not a
// timed test.
//   node --import tsx bench/http-adapters/run.ts [case-name-filter ...]   (after `npm run build`: the cases load packages/*/dist)
//   (a filtered run prints its figures but leaves the stored results alone)
//   env JTS_BENCH_HTTP_ROUNDS (6), JTS_BENCH_HTTP_DURATION (5 s per load), JTS_BENCH_HTTP_WARMUP
//       (3 s, once per case), JTS_BENCH_HTTP_CONNECTIONS (50), JTS_BENCH_HTTP_SERVER_CPUS (none: the
//       servers run where the scheduler puts them; a taskset CPU list pins each server there, e.g.
//       `JTS_BENCH_HTTP_SERVER_CPUS=1 taskset -c 0 node --import tsx bench/http-adapters/run.ts`
//       gives the load generator core 0 and every server core 1, as two machines would)
// Traffic goes only to 127.0.0.1; every load is bounded in time.
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, writeSuiteResult } from '../harness.js';
import { HTTP_BENCH_GOALS } from './goals.js';
import {
  type LoadResult,
  type LoadSettings,
  type RunningCase,
  measureCase,
  startCase,
  warmUp,
} from './support/load.js';

const here = dirname(fileURLToPath(import.meta.url));
// The Node a run measures: the stored results of each major are kept apart, those of the oldest
// major `engines` allows under the suite's plain name (the figures the docs cite by default).
const nodeMajor = Number(process.versions.node.split('.')[0]);
const engines = JSON.parse(readFileSync(join(here, '../../package.json'), 'utf8')).engines?.node as string | undefined;
const oldestMajor = Number(/\d+/.exec(engines ?? '')?.[0] ?? Number.NaN);
const onOldest = nodeMajor === oldestMajor;
const suiteName = onOldest ? 'http-adapters' : `http-adapters-node${nodeMajor}`;
const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return process.env[name]?.trim() && Number.isFinite(value) && value >= 0 ? value : fallback;
};
const rounds = Math.max(1, numberFromEnv('JTS_BENCH_HTTP_ROUNDS', 6));
const settings: LoadSettings = {
  connections: Math.max(1, numberFromEnv('JTS_BENCH_HTTP_CONNECTIONS', 50)),
  durationSeconds: Math.max(1, numberFromEnv('JTS_BENCH_HTTP_DURATION', 5)),
  warmupSeconds: numberFromEnv('JTS_BENCH_HTTP_WARMUP', 3),
};
const filters = process.argv.slice(2);
const cases = readdirSync(join(here, 'servers'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3))
  .filter((name) => filters.length === 0 || filters.some((word) => name.includes(word)))
  .sort();
if (cases.length === 0) throw new Error(`no server case matches ${filters.join(', ')}`);

/** The bare case of a case's family: the longest `<prefix>-bare` the name starts with. */
const baselineOf = (name: string) =>
  cases
    .filter((candidate) => candidate.endsWith('-bare') && name.startsWith(candidate.slice(0, -'bare'.length)))
    .sort((a, b) => b.length - a.length)[0];

// A case's family: its baseline, or itself for a case of no family.
const families = new Map<string, string[]>();
for (const name of cases) {
  const family = baselineOf(name) ?? name;
  families.set(family, [...(families.get(family) ?? []), name]);
}

const loadBefore = loadavg();
const startedAt = Date.now();
const runs = new Map<string, LoadResult[]>(cases.map((name) => [name, []]));
const logBytes = new Map<string, number>();
for (const members of families.values()) {
  const running = new Map<string, RunningCase>();
  try {
    for (const name of members) running.set(name, await startCase(join(here, 'servers', `${name}.ts`)));
    for (const name of members) await warmUp(running.get(name)!, settings);
    for (let round = 0; round < rounds; round++) {
      // Every case of the family once per round, starting one further along each round.
      const order = members.map((_unused, index) => members[(index + round) % members.length]!);
      for (const name of order) {
        const result = await measureCase(running.get(name)!, settings);
        runs.get(name)!.push(result);
        console.log(
          `round ${round + 1}/${rounds} ${name}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99Ms} ms, ${result.cpuMicrosPerRequest.toFixed(1)} µs CPU/request, ${result.errors} errors, ${result.non2xx} non-2xx`,
        );
      }
    }
  } finally {
    for (const [name, server] of running) logBytes.set(name, await server.stop());
  }
}
const loadAfter = loadavg();

/** The ratio of `name`'s req/s to `other`'s in each round (loads of one family's turn, seconds apart). */
const pairedRatios = (name: string, other: string) => {
  const mine = runs.get(name)!;
  const theirs = runs.get(other)!;
  return mine.map((result, round) => result.requestsPerSecond / theirs[round]!.requestsPerSecond);
};
const sameFamily = (a: string, b: string) => (baselineOf(a) ?? a) === (baselineOf(b) ?? b);

const summary = cases.map((name) => {
  const results = runs.get(name)!;
  const perSecond = results.map((result) => result.requestsPerSecond);
  const requestsPerSecond = median(perSecond);
  const baseline = baselineOf(name);
  const paired = baseline === undefined ? [] : pairedRatios(name, baseline);
  return {
    name,
    requestsPerSecond,
    p99Ms: median(results.map((result) => result.p99Ms)),
    cpuMicrosPerRequest: median(results.map((result) => result.cpuMicrosPerRequest)),
    spread: ((Math.max(...perSecond) - Math.min(...perSecond)) / requestsPerSecond) * 100,
    errors: results.reduce((sum, result) => sum + result.errors + result.non2xx, 0),
    logBytes: logBytes.get(name) ?? 0,
    perRound: perSecond.map(Math.round),
    paired,
    pairedRatio: paired.length ? median(paired) : Number.NaN,
  };
});
const byName = new Map(summary.map((row) => [row.name, row]));
const results = summary.map((row) => {
  const baseline = byName.get(baselineOf(row.name) ?? '');
  return {
    name: row.name,
    baseline: baseline?.name === row.name,
    // Rendered as ns/op: the time one request costs at the measured throughput.
    nsPerOp: 1e9 / row.requestsPerSecond,
    opsPerSec: row.requestsPerSecond,
    // Rendered as ± %: the spread (max - min) of req/s over the rounds, relative to the median.
    rme: row.spread,
    // The ratios to the baseline are medians of the paired (same round) ratios.
    timeRatio: baseline === undefined ? Number.NaN : 1 / row.pairedRatio,
    throughputRatio: baseline === undefined ? Number.NaN : row.pairedRatio,
    pairedRatios: row.paired,
    p99Ms: row.p99Ms,
    cpuMicrosPerRequest: row.cpuMicrosPerRequest,
    cpuRatio: baseline === undefined ? Number.NaN : row.cpuMicrosPerRequest / baseline.cpuMicrosPerRequest,
    errors: row.errors,
    logBytes: row.logBytes,
    requestsPerSecondPerRound: row.perRound,
  };
});
const goals = HTTP_BENCH_GOALS.filter((goal) => byName.has(goal.case) && byName.has(goal.against)).map((goal) => {
  const row = byName.get(goal.case)!;
  const other = byName.get(goal.against)!;
  const paired = sameFamily(goal.case, goal.against) ? pairedRatios(goal.case, goal.against) : [];
  const ratio = paired.length ? median(paired) : row.requestsPerSecond / other.requestsPerSecond;
  const p99Lower = row.p99Ms < other.p99Ms;
  return {
    ...goal,
    ratio,
    pairedRatios: paired,
    measured: `${ratio.toFixed(2)}× req/s${paired.length ? ` (median of ${paired.length} rounds: ${Math.min(...paired).toFixed(2)}-${Math.max(...paired).toFixed(2)})` : ''}${goal.lowerP99 ? `; p99 ${row.p99Ms} ms vs ${other.p99Ms} ms` : ''}`,
    met: ratio >= goal.minThroughputRatio && (goal.lowerP99 !== true || p99Lower),
  };
});

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
const notes = [
  '| case | req/s (median) | × bare req/s (median of the rounds) | × bare in each round | p99 (median) | server CPU per request (median) | × bare CPU (ratio of the medians) | req/s per round | errors + non-2xx |',
  '|---|---:|---:|---|---:|---:|---:|---|---:|',
  ...results.map(
    (row) =>
      `| ${row.name} | ${Math.round(row.opsPerSec).toLocaleString('en-US')} | ${fixed(row.throughputRatio, 2)} | ${row.baseline ? '-' : row.pairedRatios.map((ratio) => fixed(ratio, 2)).join(', ')} | ${row.p99Ms} ms | ${fixed(row.cpuMicrosPerRequest, 1)} µs | ${fixed(row.cpuRatio, 2)} | ${row.requestsPerSecondPerRound.join(', ')} | ${row.errors} |`,
  ),
  '',
  `${rounds} rounds × ${cases.length} cases, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up per case + ${settings.durationSeconds} s per load, ${minutes} min in all. ` +
    `Load average (1/5/15 min) before: ${loadBefore.map((value) => value.toFixed(2)).join(' / ')}, after: ${loadAfter.map((value) => value.toFixed(2)).join(' / ')} on ${cpus().length} cores shared with other work; ` +
    'server and load generator share those cores, so absolute figures are low and ratios are what to read. ' +
    'Server CPU per request (user + system time of the server process from /proc over the measured load, divided by the requests served) is the steadier figure on a shared machine, but it is not independent of the load generator: ' +
    "a response's socket write also wakes autocannon when it sits idle waiting for the server. Profiled on 2026-12-05 on Node 20 (V8 profiles and perf of the server process), that write cost about 10 µs per response for bare node:http, which keeps autocannon busy, and 20-28 µs under the instrumented cases, with the wake-up (sock_def_readable) about a tenth of their samples; so the slower a case, the more each of its responses costs, and the ratios overstate the instrumentation's own cost." +
    " Profiled again on 2026-12-06 under this load (Node 20, V8 profile of node-http-jts), socket writes (writev) were about a third of the server's busy time and the JTS packages' own code about a seventh. The ± % column is the spread of req/s over the rounds: when it is large the machine was busy with other work during the run, and a ratio moves by as much between runs of the same code. Profiled once more on 2026-12-06, on a quieter machine (V8 profiles of node-http-jts against node-http-jts-unobserved, 8 s each under this load): per request, the socket writes (writev) took about 7.6 µs more in the instrumented server and the JTS packages with OpenTelemetry about 9 µs (the access line 4.4, the span 2.9 with the SDK, core 1.3, metrics 0.9), against about 8 µs for the same signals in process. The in-process suites (@jts/http and @jts/express: one request in process) measure the adapters' own cost without the network or the load generator. " +
    `This run: Node ${process.versions.node}. On Node 20 and 22, AsyncLocalStorage (which every context of these cases, ours and OpenTelemetry's, lives in) keeps an async hook that runs for every async resource the process creates, about 10 process.nextTick calls and a timer per node:http request (\`bench/http-adapters/async-resources.ts\` counts them), which \`*-jts-unobserved\` pays without any signal; from Node 24 it follows async context frames instead, and no hook runs.`,
].join('\n');

if (filters.length === 0)
  writeSuiteResult({
    suite: suiteName,
    title: onOldest
      ? 'HTTP adapters under load (autocannon)'
      : `HTTP adapters under load (autocannon), Node ${nodeMajor}`,
    description:
      'Each server case (`bench/http-adapters/servers/*.ts`) runs in its own process and answers `GET /orders/:id` with a small JSON body; autocannon drives it from the runner process ' +
      `(${settings.connections} connections, ${settings.durationSeconds} s per load). The cases of one family (express-*, node-http-*, nest-*) run side by side during the family's turn: each process is started and warmed up (${settings.warmupSeconds} s) once, then each round drives every case of the family once, one after another, the order rotating each round, so that a case and its baseline are measured seconds apart. ` +
      'A throughput ratio (× bare req/s, and every goal) is the median over the rounds of the ratio of the two loads of the same round (paired ratios): a slow minute of a shared machine then lowers both sides of a ratio instead of one. Until 2026-12-07 each load had a process of its own and the ratio was one of medians, with the two cases of a ratio minutes apart. ' +
      '`*-bare`: no instrumentation (the baseline of its family). `*-jts`: the JTS adapter with the full instrumentation (context and correlation ID, access line to a file, request metrics, ' +
      "every server span sampled and exported to a discarding exporter). `express-jts-server`: the same as `express-jts`, set up the other way (the run started at the server by `instrumentServer`, before Express swaps the prototypes of the request and the response; `expressMiddleware` capturing the route). The Express and NestJS `*-jts` cases keep the requests' and responses' V8 hidden classes shared (`keepRequestShapes` of `@jts/http`, on by default on Node 20 and 22), which makes Express itself cheaper per request; `express-bare-shapes-kept`, a reference, is bare Express with only that done by hand (the properties Express adds after swapping the prototypes, learned from the first request, given to each later one before the swap), so a ratio to it is what the instrumentation alone costs. `*-jts-unobserved`: the JTS adapter with no signal created (the cost of the lifecycle alone). `node-http-jts-no-trace`: `node-http-jts` without tracing (the access line and the metrics only), so the difference between the two is what the server span costs. `*-minimal`: a reference, not a peer: the same three signals by hand in the least code, with none of the checks (the caller's correlation ID taken as it is, or a new UUID; an SDK span; a prom-client histogram and counter; a JSON line from one template string, a turn's lines in one write; no validation, redaction, exemplars, outcomes or error path: `support/minimal-signals.ts`), which shows how much of a goal the signals themselves take. `node-http-cpu-5us` and `node-http-cpu-10us`: references too, bare node:http plus 5 or 10 µs of CPU per request in a busy loop that touches no memory (`spendCpu` in `support/serve.ts`), which turn a goal's ratio into a budget of added work on the machine of the run. `*-otel-pino-prom`: OpenTelemetry auto-instrumentation (http, plus express for Express) with the same exporter, " +
      'pino-http to a file and a prom-client histogram. Here ns/op is the time per request at the median throughput (1 / req/s), ± % the spread of req/s over the rounds, ' +
      '× baseline the inverse of the median paired throughput ratio to the bare case of the same family.',
    results,
    goals,
    notes,
  });
console.table(
  results.map((row) => ({
    case: row.name,
    'req/s': Math.round(row.opsPerSec),
    'x bare': fixed(row.throughputRatio, 2),
    'p99 ms': row.p99Ms,
    'CPU µs/req': fixed(row.cpuMicrosPerRequest, 1),
    'x bare CPU': fixed(row.cpuRatio, 2),
    'spread %': fixed(row.rme, 1),
  })),
);
for (const goal of goals) console.log(`${goal.met ? 'MET' : 'NOT MET'}: ${goal.text} (${goal.measured})`);
