// The whole order path (issue 16, deliverable 1): ONE order call with every signal, as services run
// it, in three stacks doing the same work (span, histogram + counter, log line; see
// bench/order-path/), sampled or not, with a synchronous step or one await; plus JTS with the audit
// trail and the bare step for reference. Every case runs in fresh processes
// (bench/order-path/child.ts), the cases interleaved round by round (the order rotating), and is
// reported as medians over rounds, with ratios to the hand-wired stack of the same variant measured
// in the same round. Writes bench/results/order-path.json; `node scripts/run-benchmarks.mjs --render`
// puts it into docs/benchmarks.md. A benchmark, not a timed test.
//   node --expose-gc --import tsx bench/order-path.bench.ts [case-id-filter ...]   (after `npm run build`: it loads packages/*/dist)
//   (a filtered run prints its figures but leaves bench/results/order-path.json alone)
//   env JTS_BENCH_ORDER_ROUNDS (5), JTS_BENCH_ORDER_SCALE (1; e.g. 0.1 for a quick smoke run)
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_TSX_ENV, writeSuiteResult } from './harness.js';
import { CASES, type OrderPathCase, baselineOf } from './order-path/cases.js';
import type { ChildFigures } from './order-path/child.js';
import { BATCH, TURN } from './order-path/measure.js';
import { orderPathGoals } from './order-path/goals.js';

const here = dirname(fileURLToPath(import.meta.url));
const positive = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return process.env[name]?.trim() && Number.isFinite(value) && value > 0 ? value : fallback;
};
const rounds = Math.round(positive('JTS_BENCH_ORDER_ROUNDS', 5));
const scale = positive('JTS_BENCH_ORDER_SCALE', 1);
const filters = process.argv.slice(2);
const selected = CASES.filter((item) => filters.length === 0 || filters.some((word) => item.id.includes(word)));
if (selected.length === 0) throw new Error(`no case matches ${filters.join(', ')}`);
// A filtered run still measures the baselines its ratios need.
const measured = CASES.filter(
  (item) => selected.includes(item) || selected.some((chosen) => baselineOf(chosen) === item),
);

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.floor(sorted.length / 2)] as number);
};

function runChild(item: OrderPathCase): ChildFigures {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(here, 'order-path/child.ts'), item.id],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...BENCH_TSX_ENV, JTS_BENCH_ORDER_SCALE: String(scale) },
    },
  );
  if (child.status !== 0) throw new Error(`case ${item.id} failed (exit ${child.status}); its error is above`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as ChildFigures;
}

const byRound: Map<string, ChildFigures>[] = [];
const started = Date.now();
console.log(
  `order path: ${measured.length} cases × ${rounds} rounds, scale ${scale}, load ${loadavg()[0]?.toFixed(2)}`,
);
for (let round = 0; round < rounds; round++) {
  const figures = new Map<string, ChildFigures>();
  const shift = (round * 3) % measured.length;
  for (const item of [...measured.slice(shift), ...measured.slice(0, shift)]) figures.set(item.id, runChild(item));
  byRound.push(figures);
  console.log(`round ${round + 1}/${rounds} done after ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Median over rounds of a figure, and of its ratio to the same round's hand-wired case. */
function summarise(item: OrderPathCase, figure: (figures: ChildFigures) => number) {
  const baseline = baselineOf(item);
  const values = byRound.map((round) => figure(round.get(item.id) as ChildFigures));
  const ratios = baseline
    ? byRound.map(
        (round) => figure(round.get(item.id) as ChildFigures) / figure(round.get(baseline.id) as ChildFigures),
      )
    : [];
  return { value: median(values), ratio: baseline ? median(ratios) : null };
}

const results = measured.map((item) => {
  const time = summarise(item, (figures) => figures.nsPerOrder);
  const p99 = summarise(item, (figures) => figures.p99Ns);
  const bytes = summarise(item, (figures) => figures.bytesPerOrder);
  return {
    name: item.name,
    id: item.id,
    variant: item.variant,
    baseline: item.stack === 'hand-wired',
    nsPerOp: time.value,
    opsPerSec: 1e9 / time.value,
    timeRatio: time.ratio,
    meanNsPerOp: summarise(item, (figures) => figures.meanNsPerOrder).value,
    p50Ns: summarise(item, (figures) => figures.p50Ns).value,
    p99Ns: p99.value,
    p99Ratio: p99.ratio,
    bytesPerOp: bytes.value,
    allocationRatio: bytes.ratio,
    collectionsPerThousand: summarise(item, (figures) => figures.collectionsPerThousand).value,
    gcNsPerOrder: summarise(item, (figures) => figures.gcNsPerOrder).value,
    samples: rounds,
  };
});
const goals = orderPathGoals(results);

console.table(
  results.map((row) => ({
    case: row.id,
    'ns/order': row.nsPerOp.toFixed(0),
    'x hand-wired': row.timeRatio?.toFixed(3) ?? '',
    'p99 us': (row.p99Ns / 1000).toFixed(1),
    'p99 x': row.p99Ratio?.toFixed(3) ?? '',
    'bytes/order': row.bytesPerOp.toFixed(0),
    'bytes x': row.allocationRatio?.toFixed(3) ?? '',
    'GC ns/order': row.gcNsPerOrder.toFixed(0),
  })),
);
for (const goal of goals) console.log(`${goal.met ? 'MET' : 'NOT MET'}: ${goal.text} (${goal.measured})`);

const description = `One order call with every signal, as services run it: a span (order.execution, 6 trading attributes + correlation ID; BatchSpanProcessor to a discarding exporter), the order histogram and counter of the metric catalog (5 labels, 8 series), one ECS log line to a file (same fields in every stack; asynchronous sonic-boom), a new order ID and correlation ID per order, the step synchronous or with one await. Stacks: **hand-wired** (OpenTelemetry Node SDK 2.12 with AsyncLocalStorage, parent-based AlwaysOn/AlwaysOff sampler; pino with a mixin adding the active span's IDs; prom-client observe/inc with trace_id/span_id exemplars), **jts** (\`orderExecution.run(order, step)\` with createLogger, createTradingMetrics and initTracing created; unsampled: sampling rule order.execution=0), **jts + audit** (createAuditTrail with operations ['order.execution']: 2 records per order; no hand-wired audit is comparable, so compare it with hand-wired and jts), the **spec pattern** (startActiveSpan, .labels().observe()/.inc() without exemplars, span IDs passed to the log call). Each case runs in ${rounds} fresh processes, interleaved round by round; before and after timing each process checks its signals (one line per order with the expected fields, spans exported = orders sampled or 0, histogram and counter counts, an exemplar pointing at the last order's trace, 2 audit records per order, nothing dropped). Time per order: median over ${Math.round(100 * scale)} batches of ${BATCH} orders, ${TURN} per event-loop turn with the turns inside the timed batch (writes, exports and fsyncs complete there), after ${Math.round(20_000 * scale)} warm-up orders. p99: of ${Math.round(20_000 * scale)} single calls timed with performance.now() (async: until the promise settles). Allocation: JS heap bytes allocated per order over ${Math.round(10_000 * scale)} orders (after two forced full GCs, the growth of the used heap plus what every GC during the run freed, from V8's GCProfiler; off-heap Buffer memory not counted; the meter is checked in each process against a known allocation, within 3%). Reported: medians over rounds; ratios: median over rounds of the ratio to the hand-wired case of the same variant in the same round.`;

const spread = (id: string) => {
  const item = CASES.find((candidate) => candidate.id === id);
  const baseline = item && baselineOf(item);
  if (!item || !baseline || !measured.includes(item)) return '';
  const ratios = byRound.map(
    (round) => (round.get(id)?.nsPerOrder ?? Number.NaN) / (round.get(baseline.id)?.nsPerOrder ?? Number.NaN),
  );
  return ` The per-round time ratio of ${id} ranged ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}.`;
};
const collections = (() => {
  const signalled = results.filter((row) => !row.id.startsWith('bare'));
  const time = signalled.map((row) => row.gcNsPerOrder);
  const batchesPerCollection = signalled.map((row) => 1000 / (row.collectionsPerThousand * BATCH));
  return `${Math.min(...time).toFixed(0)}-${Math.max(...time).toFixed(0)} ns per order in the allocation pass, one collection every ${Math.min(...batchesPerCollection).toFixed(1)}-${Math.max(...batchesPerCollection).toFixed(1)} batches`;
})();
const notes = `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, shared with other work; load average ${loadavg()[0]?.toFixed(2)} at the end of the run.${spread('jts-sampled-sync')} Young-generation collections (${collections}) slow the batches they fall in, which the batch median leaves out while they are fewer than half; they show in p99, in \`meanNsPerOp\` of the results file and in the allocation figures. With 200 orders per event-loop turn instead of ${TURN}, both asynchronous file destinations fall behind (sonic-boom writes one chunk per turn: 8 KiB for @jts/log, 16 KiB for pino): pino's buffer grows without bound, @jts/log's stops at its 32 Mi-character bound and drops lines (counted in stats().dropped), which the after-timing check reports.`;

if (filters.length > 0) console.log('filtered run: bench/results/order-path.json left unchanged');
else
  writeSuiteResult({
    suite: 'order-path',
    title: 'Whole order path: one order with every signal, jts vs hand-wired',
    description,
    layout: 'order-path',
    results,
    goals,
    notes,
  });
