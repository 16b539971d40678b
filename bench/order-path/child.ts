// One case of the order-path benchmark in a fresh process:
//   node --expose-gc --import tsx bench/order-path/child.ts <case-id>
// Checks the allocation meter, sets the stack up, runs orders and checks that every signal came out
// (lines, spans, metric samples, exemplars, audit records), warms up, then measures: batches of
// orders (time per order), single calls (latency percentiles), orders under the allocation meter;
// checks the signals again (nothing dropped), closes the stack and prints its figures as one JSON line.
// JTS_BENCH_ORDER_SCALE (default 1) scales the order counts, for a quick smoke run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASES, createStack } from './cases.js';
import { checkSignals } from './checks.js';
import { BATCH, calibrateAllocation, measureAllocation, runOrders, timeBatches, timeCalls } from './measure.js';
import { lastOrderId, nextOrder, ordersMade } from './orders.js';

/** What a child prints. */
export interface ChildFigures {
  readonly id: string;
  /** Median over batches of the time per order, batch included its event-loop turn. */
  readonly nsPerOrder: number;
  /** Total time of the batches over their orders (collections and slow batches included). */
  readonly meanNsPerOrder: number;
  readonly p50Ns: number;
  readonly p99Ns: number;
  readonly bytesPerOrder: number;
  readonly collectionsPerThousand: number;
  /** Garbage-collection time per order during the allocation pass. */
  readonly gcNsPerOrder: number;
  readonly orders: number;
}

const id = process.argv[2];
const item = CASES.find((candidate) => candidate.id === id);
if (item === undefined) throw new Error(`unknown case ${id}; one of: ${CASES.map((c) => c.id).join(', ')}`);
const rawScale = Number(process.env.JTS_BENCH_ORDER_SCALE ?? 1);
const scale = Number.isFinite(rawScale) && rawScale > 0 ? rawScale : 1;
const count = (full: number, least: number) => Math.max(least, Math.round((full * scale) / BATCH)) * BATCH;
const sanityOrders = 2 * BATCH;
const warmupOrders = count(20_000, 10);
const batches = Math.max(10, Math.round(100 * scale));
const calls = count(20_000, 10);
const allocationOrders = count(10_000, 10);

const directory = mkdtempSync(join(tmpdir(), 'jts-order-path-'));
try {
  await calibrateAllocation();
  const stack = createStack(item, directory);
  const run = () => stack.order(nextOrder());
  const check = (moment: string) =>
    item.stack === 'bare'
      ? Promise.resolve()
      : checkSignals(
          stack,
          { orders: ordersMade(), sampled: item.sampled, lastOrderId: lastOrderId() },
          `${id} ${moment}`,
        );

  await runOrders(run, item.async, sanityOrders);
  await check('before timing');
  await runOrders(run, item.async, warmupOrders);
  const perBatch = await timeBatches(run, item.async, batches);
  const latencies = (await timeCalls(run, item.async, calls)).sort();
  const allocation = await measureAllocation(() => runOrders(run, item.async, allocationOrders));
  await check('after timing');
  await stack.close();

  const sorted = [...perBatch].sort((a, b) => a - b);
  const figures: ChildFigures = {
    id: item.id,
    nsPerOrder: sorted[Math.floor(sorted.length / 2)] as number,
    meanNsPerOrder: perBatch.reduce((sum, value) => sum + value, 0) / perBatch.length,
    p50Ns: latencies[Math.floor(latencies.length * 0.5)] as number,
    p99Ns: latencies[Math.floor(latencies.length * 0.99)] as number,
    bytesPerOrder: allocation.bytes / allocationOrders,
    collectionsPerThousand: (1000 * allocation.collections) / allocationOrders,
    gcNsPerOrder: (1000 * allocation.collectionMicros) / allocationOrders,
    orders: ordersMade(),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
