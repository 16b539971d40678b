// Where a server case spends its CPU under the benchmark's load: runs one or more cases of
// servers/ under V8's CPU profiler (`--cpu-prof`), drives each with autocannon as run.ts does (a
// warm-up, then the measured load), and prints the profile's time per request served, by where the
// code comes from (a JTS package, OpenTelemetry, pino, prom-client, a module of Node, the garbage
// collector, a native function such as the socket write `writev`) and by function. The profiler
// itself adds work, so read the figures against each other (one case beside another in the same
// run), not as the case's cost without it. Nothing is stored.
//   node --import tsx bench/http-adapters/profile.ts node-http-bare node-http-jts   (after `npm run build`)
//   env JTS_BENCH_HTTP_DURATION (8 s measured), JTS_BENCH_HTTP_WARMUP (2 s), JTS_BENCH_HTTP_CONNECTIONS
//       (50), JTS_BENCH_HTTP_SERVER_CPUS (as for run.ts: `JTS_BENCH_HTTP_SERVER_CPUS=1 taskset -c 0 ...`)
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureCase, startCase } from './support/load.js';

/** The parts of a `.cpuprofile` read here. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const here = dirname(fileURLToPath(import.meta.url));
const seconds = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return process.env[name]?.trim() && Number.isFinite(value) && value > 0 ? value : fallback;
};
const connections = seconds('JTS_BENCH_HTTP_CONNECTIONS', 50);
const warmupSeconds = seconds('JTS_BENCH_HTTP_WARMUP', 2);
const durationSeconds = seconds('JTS_BENCH_HTTP_DURATION', 8);
const cases = process.argv.slice(2);
if (cases.length === 0) throw new Error('name the cases to profile, e.g. node-http-bare node-http-jts');

/** Where a function's code comes from. */
function originOf(url: string, functionName: string): string {
  // (garbage collector), (program), (idle), natives such as writev; V8 leaves a few unnamed.
  if (url === '') return functionName || '(native, unnamed)';
  const jts = /\/packages\/([^/]+)\/dist\//.exec(url);
  if (jts) return `@jts/${jts[1]}`;
  if (url.includes('@opentelemetry')) return 'OpenTelemetry';
  if (/\/(pino|sonic-boom)/.test(url)) return 'pino';
  if (url.includes('prom-client')) return 'prom-client';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  if (url.includes('/bench/')) return 'the case itself';
  return 'other';
}

for (const name of cases) {
  const dir = mkdtempSync(join(tmpdir(), 'jts-bench-profile-'));
  const running = await startCase(join(here, 'servers', `${name}.ts`), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const warm = await measureCase(running, { connections, durationSeconds: warmupSeconds, warmupSeconds: 0 });
  const load = await measureCase(running, { connections, durationSeconds, warmupSeconds: 0 });
  await running.stop(); // the profile is written as the process exits
  const file = readdirSync(dir).find((entry) => entry.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`${name} wrote no CPU profile`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  rmSync(dir, { recursive: true, force: true });

  // The whole process is profiled (start-up too); its samples are spread over every request served.
  const served = warm.requests + load.requests;
  const selfMicros = new Map<number, number>();
  for (let index = 0; index < profile.samples.length; index++) {
    const id = profile.samples[index]!;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  }
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const origin = originOf(url, functionName);
    if (origin === '(idle)') continue;
    busy += micros;
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + micros);
    const file = url.includes('/packages/')
      ? url.slice(url.indexOf('/packages/') + 10)
      : url.split('/').slice(-2).join('/');
    const where = url === '' ? '' : ` ${file}:${lineNumber + 1}`;
    const key = `${functionName || '(anonymous)'}${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  }
  const perRequest = (micros: number) => (micros / served).toFixed(2).padStart(6);
  const top = (map: Map<string, number>, count: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([key, micros]) => `  ${perRequest(micros)}  ${key}`)
      .join('\n');
  console.log(
    `${name}: ${Math.round(load.requestsPerSecond)} req/s under the profiler, ${served} requests profiled; ` +
      `busy ${perRequest(busy).trim()} µs per request (profile time, idle left out)\n` +
      `by origin (µs per request):\n${top(byOrigin, 16)}\nby function, self time (µs per request):\n${top(byFunction, 20)}\n`,
  );
}
