// The three measurements of a child process: time per order in batches, the latency of single
// calls, and the bytes of JS heap allocated per order.
import v8 from 'node:v8';

/**
 * Orders per event-loop turn. Between turns the loop runs once, so file writes, export timers and
 * fsyncs complete as in a service. 10 orders (about 6 KB of log lines) per turn: with 200 per turn
 * the asynchronous file destinations fall behind (sonic-boom writes one chunk per turn, 8 KiB for
 * @jts/log, 16 KiB for pino) and lines pile up in memory (see the suite's notes).
 */
export const TURN = 10;
/** Orders per timed batch (20 turns). */
export const BATCH = 200;

/** Runs one order; for the async step, its promise. */
export type RunOrder = () => unknown;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs {@link TURN} orders one after another (the async step awaited), then turns the event loop. */
async function turn(run: RunOrder, async: boolean): Promise<void> {
  if (async) for (let index = 0; index < TURN; index++) await run();
  else for (let index = 0; index < TURN; index++) run();
  await tick();
}

/**
 * Runs `count` orders (rounded up to whole turns).
 *
 * @param run - one order
 * @param async - whether `run` returns a promise to await
 * @param count - orders to run
 */
export async function runOrders(run: RunOrder, async: boolean, count: number): Promise<void> {
  for (let done = 0; done < count; done += TURN) await turn(run, async);
}

/**
 * Times `batches` batches of {@link BATCH} orders, each including its event-loop turns (the work
 * the orders left for the loop: file writes, span exports, audit fsyncs).
 *
 * @returns nanoseconds per order of each batch
 */
export async function timeBatches(run: RunOrder, async: boolean, batches: number): Promise<number[]> {
  const perOrder: number[] = [];
  for (let batch = 0; batch < batches; batch++) {
    const started = performance.now();
    for (let done = 0; done < BATCH; done += TURN) await turn(run, async);
    perOrder.push(((performance.now() - started) * 1e6) / BATCH);
  }
  return perOrder;
}

/**
 * Times `calls` single orders with `performance.now()` around each call (for the async step,
 * until its promise settles); the loop turns every {@link TURN} calls, outside the timed calls.
 *
 * @returns nanoseconds per call, in call order
 */
export async function timeCalls(run: RunOrder, async: boolean, calls: number): Promise<Float64Array> {
  const latencies = new Float64Array(calls);
  for (let index = 0; index < calls; index++) {
    const started = performance.now();
    if (async) await run();
    else run();
    latencies[index] = (performance.now() - started) * 1e6;
    if (index % TURN === TURN - 1) await tick();
  }
  return latencies;
}

/** Bytes of JS heap allocated while some work ran, and the garbage collections meanwhile. */
export interface Allocation {
  readonly bytes: number;
  readonly collections: number;
  /** Time the collections took, in microseconds. */
  readonly collectionMicros: number;
}

/**
 * Bytes of JS heap allocated by `work`: after two full collections, the growth of the used heap
 * plus what every collection during `work` freed (V8's `GCProfiler` reports the used heap before
 * and after each one). Needs `--expose-gc`. Off-heap memory (Buffer contents) is not counted.
 *
 * @param work - what to measure
 * @returns the bytes allocated and the collections
 */
export async function measureAllocation(work: () => Promise<void>): Promise<Allocation> {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('run the child with --expose-gc');
  gc();
  gc();
  const profiler = new v8.GCProfiler();
  profiler.start();
  const before = v8.getHeapStatistics().used_heap_size;
  await work();
  const after = v8.getHeapStatistics().used_heap_size;
  const { statistics } = profiler.stop();
  let freed = 0;
  let collectionMicros = 0;
  for (const collection of statistics) {
    freed += collection.beforeGC.heapStatistics.usedHeapSize - collection.afterGC.heapStatistics.usedHeapSize;
    collectionMicros += collection.cost;
  }
  return { bytes: after - before + freed, collections: statistics.length, collectionMicros };
}

/** Where the calibration puts each array, so that no compiler can drop the allocation. */
const kept: { last?: unknown } = {};
/**
 * Checks the allocation meter on a known allocation: 20,000 arrays of 512 small integers (a
 * 32-byte JSArray, a 16-byte elements header, 8 bytes per element: 4,144 bytes each), dropped as
 * they come, so several young-generation collections run meanwhile.
 *
 * @throws when the meter is off by more than 3 %
 */
export async function calibrateAllocation(): Promise<{ measured: number; expected: number }> {
  const count = 20_000;
  const expected = count * (32 + 16 + 512 * 8);
  const { bytes, collections } = await measureAllocation(async () => {
    for (let index = 0; index < count; index++) kept.last = new Array(512).fill(index);
  });
  if (Math.abs(bytes / expected - 1) > 0.03 || collections === 0)
    throw new Error(`allocation meter off: ${bytes} bytes measured for ${expected} (${collections} collections)`);
  return { measured: bytes, expected };
}
