// The sampled traced order call against raw OpenTelemetry, measured so that a shared, noisy machine
// does not decide the verdict: the cases take turns in rounds (each round: set up, warm up, 80
// batches of 500 calls, tear down), each round's figure is the median of its batches (a batch the
// scheduler interrupted is an outlier, not an average), the verdict is the median over rounds of
// the per-round ratio to the raw case measured just before it.
// Run: node --import tsx packages/trace/bench/order-span-rounds.bench.ts
import { AlwaysOnSampler } from '@opentelemetry/sdk-trace-base';
import { runWithContext } from '../../core/dist/index.js';
import { writeSuiteResult } from '../../../bench/harness.js';
import { handWiredSpan, jtsSetup, jtsSpan, jtsTeardown, rawSetup, rawSpan, rawTeardown } from './order-span-cases.js';

const ROUNDS = Number(process.env.JTS_BENCH_ROUNDS ?? 12);
const BATCH = 500;
const BATCHES = 80;

interface Case {
  readonly name: string;
  readonly setup: () => void;
  readonly teardown: () => Promise<void>;
  readonly fn: () => void;
}
const RAW = 'raw OpenTelemetry startActiveSpan (sampled)';
const JTS = 'orderExecution.run traced (sampled)';
const cases: Case[] = [
  { name: RAW, setup: rawSetup(new AlwaysOnSampler()), teardown: rawTeardown, fn: rawSpan },
  {
    name: 'reference: orderExecution.run + raw startActiveSpan (sampled)',
    setup: rawSetup(new AlwaysOnSampler()),
    teardown: rawTeardown,
    fn: handWiredSpan,
  },
  { name: JTS, setup: jtsSetup({ '*': 1 }), teardown: jtsTeardown, fn: jtsSpan },
];

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const tick = () => new Promise((resolve) => setImmediate(resolve));
const perRound = new Map<string, number[]>(cases.map((item) => [item.name, []]));

// Inside a strategy scope, every call a new order with its own context, as in order-span.bench.ts.
await runWithContext({ correlationId: 'bench-corr-1', strategyId: 'mm-1' }, async () => {
  for (let round = 0; round < ROUNDS; round++) {
    for (const item of cases) {
      item.setup();
      for (let index = 0; index < 10 * BATCH; index++) {
        item.fn();
        if (index % BATCH === 0) await tick();
      }
      const batches: number[] = [];
      for (let batch = 0; batch < BATCHES; batch++) {
        const started = process.hrtime.bigint();
        for (let index = 0; index < BATCH; index++) item.fn();
        batches.push(Number(process.hrtime.bigint() - started) / BATCH);
        await tick(); // lets the batch processor export, as a service would
      }
      await item.teardown();
      perRound.get(item.name)?.push(median(batches));
    }
  }
});

const raw = perRound.get(RAW) ?? [];
const results = cases.map((item) => {
  const rounds = perRound.get(item.name) ?? [];
  const nsPerOp = median(rounds);
  return {
    name: item.name,
    baseline: item.name === RAW,
    nsPerOp,
    opsPerSec: 1e9 / nsPerOp,
    rme: Number.NaN,
    samples: ROUNDS,
    timeRatio: median(rounds.map((value, index) => value / (raw[index] ?? Number.NaN))),
  };
});
const jts = results.find((row) => row.name === JTS);
const goals = [
  {
    case: JTS,
    text: 'at most 1.2x raw OpenTelemetry',
    maxTimeRatio: 1.2,
    timeRatio: jts?.timeRatio,
    addedNs: (jts?.nsPerOp ?? 0) - median(raw),
    met: (jts?.timeRatio ?? Number.POSITIVE_INFINITY) <= 1.2,
  },
];
const description = `Sampled order step with 4 trading attributes, BatchSpanProcessor with a discarding exporter, as in trace-order-span-sampled (per order: each call a new order with a fresh order ID and, for the operation cases, a new @jts/core context; the raw case builds the order's attributes per call), but measured in ${ROUNDS} interleaved rounds: per round, the median time per call over ${BATCHES} batches of ${BATCH}; reported: the median over rounds, and the median of the per-round ratios to the raw case of the same round.`;
writeSuiteResult({
  suite: 'trace-order-span-rounds',
  title: '@jts/trace: traced order call, sampled, interleaved rounds',
  description,
  results,
  goals,
});
console.table(
  results.map((row) => ({
    case: row.name,
    'ns/op': row.nsPerOp.toFixed(1),
    'x raw (median of rounds)': row.timeRatio.toFixed(3),
  })),
);
for (const goal of goals)
  console.log(`${goal.met ? 'MET' : 'NOT MET'}: ${goal.text} (time ratio ${goal.timeRatio?.toFixed(3)})`);
