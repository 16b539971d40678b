// Does backing OpenTelemetry's context manager with @jts/core's one AsyncLocalStorage pay off?
// Each variant runs in a fresh process (an AsyncLocalStorage, once used, taxes every later
// `await` in its process), measuring a pure `await` loop and a traced async order call.
// Run: node --import tsx packages/trace/bench/context-manager.bench.ts
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSuiteResult } from '../../../bench/harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = 7;

async function child(mode: string): Promise<void> {
  const { ROOT_CONTEXT, createContextKey } = await import('@opentelemetry/api');
  const { ExportResultCode } = await import('@opentelemetry/core');
  const { orderExecution, runWithContext } = await import('../../core/dist/index.js');
  const { initTracing } = await import('../dist/index.js');
  const tracing = initTracing({
    exporter: { export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }), shutdown: async () => {} },
    flushOnExit: false,
    instrumentFetch: false,
    env: {},
  });
  let wrap = <T>(fn: () => Promise<T>) => fn();
  if (mode === 'two-als') {
    // OpenTelemetry's own manager: a second AsyncLocalStorage, entered around the work.
    const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
    const manager = new AsyncLocalStorageContextManager().enable();
    const key = createContextKey('bench');
    wrap = (fn) => manager.with(ROOT_CONTEXT.setValue(key, 1), fn);
  }
  const order = { orderId: 'o-1', symbol: 'AAPL', side: 'buy', strategyId: 'mm-1' };
  const awaits = async (count: number) => {
    for (let index = 0; index < count; index++) await null;
  };
  const measure = async (perRound: number, body: () => Promise<void>) => {
    const samples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = process.hrtime.bigint();
      await body();
      samples.push(Number(process.hrtime.bigint() - started) / perRound);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)] as number;
  };
  const result = await runWithContext({ correlationId: 'bench-corr-1' }, () =>
    wrap(async () => {
      await measure(200_000, () => awaits(200_000)); // warm-up
      const awaitNs = await measure(500_000, () => awaits(500_000));
      const orders = 20_000;
      const orderNs = await measure(orders, async () => {
        for (let index = 0; index < orders; index++) await orderExecution.run(order, () => awaits(10));
      });
      return { awaitNs, orderNs };
    }),
  );
  await tracing.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function run(mode: string): { awaitNs: number; orderNs: number } {
  const out = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), mode], {
    encoding: 'utf8',
    cwd: here,
  });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout.trim().split('\n').pop() as string);
}

const mode = process.argv[2];
if (mode !== undefined) {
  await child(mode);
} else {
  const one = run('one-als');
  const two = run('two-als');
  const rows = [
    { name: 'await, one AsyncLocalStorage (JTS context manager)', baseline: true, nsPerOp: one.awaitNs },
    {
      name: 'await, two AsyncLocalStorages (+ OpenTelemetry AsyncLocalStorageContextManager)',
      baseline: false,
      nsPerOp: two.awaitNs,
    },
    { name: 'traced async order call with 10 awaits, one AsyncLocalStorage', baseline: false, nsPerOp: one.orderNs },
    { name: 'traced async order call with 10 awaits, two AsyncLocalStorages', baseline: false, nsPerOp: two.orderNs },
  ];
  const results = rows.map((row) => ({
    ...row,
    opsPerSec: 1e9 / row.nsPerOp,
    rme: Number.NaN,
    samples: ROUNDS,
    timeRatio: row.nsPerOp / one.awaitNs,
  }));
  const extra = (two.awaitNs - one.awaitNs).toFixed(1);
  writeSuiteResult({
    suite: 'trace-context-manager',
    title: '@jts/trace: one AsyncLocalStorage vs two',
    description: `Median of ${ROUNDS} rounds, each variant in a fresh process with tracing on. One: OpenTelemetry's context lives in a slot of @jts/core's store (createJtsContextManager). Two: the same plus OpenTelemetry's AsyncLocalStorageContextManager entered around the work. The second store adds ${extra} ns to every await. Ratios are to the one-store await.`,
    results,
  });
  console.table(results.map((row) => ({ case: row.name, 'ns/op': row.nsPerOp.toFixed(1) })));
  console.log(
    `second AsyncLocalStorage: +${extra} ns per await; traced order with 10 awaits: ${one.orderNs.toFixed(0)} ns vs ${two.orderNs.toFixed(0)} ns`,
  );
}
