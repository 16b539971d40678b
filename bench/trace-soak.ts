// Full-length resilience soak of @jts/trace against the loopback OTLP receiver (issue 5, item 6):
//   1. healthy collector, 2. collector refusing connections, 3. collector back, 4. collector that
//   accepts and never answers, 5. back again; 5,000 spans/s throughout.
// Prints spans ended / exported / dropped / rejected per phase and heap (after GC) per phase.
// Run: node --expose-gc --import tsx bench/trace-soak.ts [refuseSeconds=60]
// Traffic goes only to 127.0.0.1; every loop is bounded in time.
import { orderExecution } from '../packages/core/dist/index.js';
import { initTracing } from '../packages/trace/dist/index.js';
import { startOtlpReceiver } from '../packages/trace/test/support/otlp-receiver.js';

const faultSeconds = Number(process.argv[2] ?? 60);
const RATE = 5000;
const TICK_MS = 10;
const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const receiver = await startOtlpReceiver({ keepSpans: false });
const tracing = initTracing({
  serviceName: 'trace-soak',
  flushOnExit: false,
  instrumentFetch: false,
  env: {},
  otlp: { url: receiver.url, timeoutMs: 2000 },
  batch: { scheduledDelayMs: 200 },
});

const flat = (stats: ReturnType<typeof tracing.stats>) => ({ ...stats.spans, failedExports: stats.exports.failed });

let sequence = 0;
async function load(seconds: number, label: string): Promise<void> {
  const perTick = (RATE * TICK_MS) / 1000;
  const began = Date.now();
  const before = flat(tracing.stats());
  const heaps: number[] = [];
  let nextTick = began;
  let lastHeap = began;
  while (Date.now() - began < seconds * 1000) {
    for (let index = 0; index < perTick; index++)
      orderExecution.run({ orderId: `o-${sequence++}`, symbol: 'AAPL', side: 'buy' }, () => undefined);
    if (Date.now() - lastHeap >= 1000) {
      heaps.push(heapMb());
      lastHeap = Date.now();
    }
    nextTick += TICK_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextTick - Date.now())));
  }
  const after = flat(tracing.stats());
  const delta = (key: keyof typeof after) => after[key] - before[key];
  const rate = delta('ended') / ((Date.now() - began) / 1000);
  console.log(
    `${label.padEnd(28)} ${seconds}s  ${Math.round(rate)} spans/s  ended ${delta('ended')}  exported ${delta('exported')}  dropped ${delta('dropped')}  rejected ${delta('rejected')}  failed exports ${delta('failedExports')}  heap ${Math.min(...heaps).toFixed(1)}-${Math.max(...heaps).toFixed(1)} MB  sockets max ${receiver.maxOpenSockets()}`,
  );
}

console.log(
  `node ${process.version}, ${RATE} spans/s, fault windows ${faultSeconds}s${gc ? '' : ' (run with --expose-gc for heap after GC)'}`,
);
await load(10, 'healthy');
await receiver.refuse();
await load(faultSeconds, 'refusing connections');
await receiver.resume();
await load(15, 'collector back');
receiver.setFault({ kind: 'hang' });
await load(faultSeconds, 'accepting, never answering');
receiver.setFault({ kind: 'ok' });
await load(15, 'collector back');
await tracing.flush();
const final = flat(tracing.stats());
console.log(
  `total: ${JSON.stringify(final)}; accounted ${final.exported + final.dropped + final.rejected} of ${final.ended} ended; receiver accepted ${receiver.acceptedSpans()}; unhandled rejections ${unhandled.length}`,
);
await tracing.close();
await receiver.close();
