/**
 * The destination choice measured in isolation: each sonic-boom configuration in its own
 * process (fresh heap, fresh file), several runs, the @jts/log line with context fields, one line
 * per order, each order in its own new context (as in logger.bench.ts's log-destinations).
 * Run: `node --import tsx packages/log/bench/destination-processes.ts [runs]`; prints ns per line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { runWithContext } from '../../core/dist/index.js';
import pino from 'pino';
import { Bench } from 'tinybench';
import { createLogger } from '../dist/index.js';

const CONFIGURATIONS: Record<string, { sync: boolean; minLength?: number; maxWrite?: number; periodicFlush?: number }> =
  {
    sync: { sync: true },
    'async minLength 0 maxWrite 16384': { sync: false, maxWrite: 16384 },
    'async minLength 0 maxWrite 8192 (chosen)': { sync: false, maxWrite: 8192 },
    'async minLength 0 maxWrite 4096': { sync: false, maxWrite: 4096 },
    'async minLength 4096': { sync: false, minLength: 4096, maxWrite: 16384 },
    'async minLength 2048 maxWrite 4096 flush 100ms': {
      sync: false,
      minLength: 2048,
      maxWrite: 4096,
      periodicFlush: 100,
    },
  };

// 1024 orders built up front (cycled): each line is a new order with its own correlation and order IDs.
const ORDERS = Array.from({ length: 1024 }, (_unused, index) => ({
  correlationId: `bench-${100_000 + index}`,
  strategyId: 'mm-1',
  symbol: 'AAPL',
  exchange: 'XNAS',
  orderId: `o-${100_000 + index}`,
}));
let sequence = 0;

async function measure(configuration: string, lines: number): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'jts-log-dest-'));
  const stream = pino.destination({ dest: join(directory, 'out.log'), ...CONFIGURATIONS[configuration] });
  const log = createLogger({ serviceName: 'bench', operations: false, flushOnExit: false, destination: { stream } });
  const bench = new Bench({ time: 2000, warmupTime: 300 });
  const line = () => log.info({ qty: 1, price: 2 }, 'order accepted');
  bench.add(configuration, async () => {
    for (let index = 0; index < lines; index++) runWithContext(ORDERS[sequence++ & 1023]!, line);
    await turn();
  });
  await bench.run();
  await log.close();
  rmSync(directory, { recursive: true, force: true });
  const latency = (bench.tasks[0]?.result as { latency?: { mean: number } } | undefined)?.latency;
  return ((latency?.mean ?? Number.NaN) * 1e6) / lines;
}

const [mode, configuration, lines] = process.argv.slice(2);
// JTS_BENCH_ONLY=name1,name2 restricts the configurations measured.
const only = process.env.JTS_BENCH_ONLY?.split(',');
if (mode === '--child') {
  console.log(String(await measure(configuration ?? 'sync', Number(lines))));
} else {
  const runs = Number(mode ?? 3);
  const self = fileURLToPath(import.meta.url);
  for (const perTurn of [10, 100]) {
    for (const name of Object.keys(CONFIGURATIONS).filter(
      (candidate) => !only || only.some((part) => candidate.includes(part)),
    )) {
      const results: string[] = [];
      for (let run = 0; run < runs; run++) {
        const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', name, String(perTurn)], {
          encoding: 'utf8',
        });
        results.push(`${Math.round(Number(child.stdout.trim()))}`);
      }
      console.log(`${perTurn} lines/turn  ${name.padEnd(36)} ${results.join(' ')} ns/line`);
    }
  }
}
