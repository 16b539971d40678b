// Start-up cost of `import '@jts/trace'` + `initTracing()` (built dist, default OTLP exporter),
// each measurement in a fresh process, against the same process doing nothing.
// OpenTelemetry's NodeSDK with auto-instrumentations adds about 150 ms and 14 MB (issue 5);
// the goal is at most a third of that. Needs `npx tsup` in packages/trace first.
// Run: node --import tsx packages/trace/bench/startup.bench.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../dist/index.js');
if (!existsSync(dist)) throw new Error('build first: cd packages/trace && npx tsup');
const RUNS = 15;

type Variant = 'empty' | 'required' | 'sdk' | 'jts' | 'disabled';
const LOADS: Record<Variant, string> = {
  empty: 'const close = async () => {};',
  // Floor: the modules any OpenTelemetry tracer provider loads (api, core, resources, sdk-trace-base,
  // which bring semantic-conventions and sdk-trace), loaded the cheapest way (require, no ESM
  // export scan), and a provider; @jts/trace cannot start below this.
  required: `const { createRequire } = await import('node:module');
const load = createRequire(${JSON.stringify(pathToFileURL(join(here, '../package.json')).href)});
load('@opentelemetry/api'); load('@opentelemetry/core'); load('@opentelemetry/resources');
const provider = new (load('@opentelemetry/sdk-trace-base').BasicTracerProvider)();
const close = () => provider.shutdown();`,
  // Reference: the bare OpenTelemetry SDK every tracing setup loads (no exporter, no instrumentation).
  sdk: `const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
const provider = new NodeTracerProvider(); provider.register();
const close = () => provider.shutdown();`,
  jts: `const { initTracing } = await import(${JSON.stringify(pathToFileURL(dist).href)});
const tracing = initTracing({ serviceName: 'startup-bench', flushOnSignal: false, otlp: { url: 'http://127.0.0.1:9/v1/traces' } });
const close = () => tracing.shutdown();`,
  // Tracing off (OTEL_SDK_DISABLED=true): the SDK modules are never loaded.
  disabled: `const { initTracing } = await import(${JSON.stringify(pathToFileURL(dist).href)});
const tracing = initTracing({ enabled: false });
const close = () => tracing.shutdown();`,
};
const script = (variant: Variant) => `
const started = performance.now();
${LOADS[variant]}
const elapsed = performance.now() - started;
globalThis.gc(); globalThis.gc();
const heap = process.memoryUsage().heapUsed;
await close();
console.log(JSON.stringify({ elapsed, heap }));
`;

type Sample = { elapsed: number; heap: number };
type Figures = { elapsedMs: number; heapBytes: number };

function measureAll(variants: readonly Variant[]): Record<Variant, Figures> {
  const samples = new Map<Variant, Sample[]>(variants.map((variant) => [variant, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const variant of variants) {
      const out = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script(variant)], { encoding: 'utf8', cwd: join(here, '..'), env: { ...process.env, OTEL_SDK_DISABLED: '' } });
      if (out.status !== 0) throw new Error(out.stderr);
      samples.get(variant)?.push(JSON.parse(out.stdout.trim()));
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const figures = {} as Record<Variant, Figures>;
  for (const [variant, list] of samples) {
    figures[variant] = { elapsedMs: median(list.map((sample) => sample.elapsed)), heapBytes: median(list.map((sample) => sample.heap)) };
  }
  return figures;
}

// Variants interleaved run by run, so a busy moment of the machine hits all of them alike.
const measured = measureAll(['empty', 'required', 'sdk', 'jts', 'disabled']);
const bare = measured.empty;
const required = measured.required;
const sdk = measured.sdk;
const traced = measured.jts;
const disabled = measured.disabled;
const addedMs = traced.elapsedMs - bare.elapsedMs;
const addedMb = (traced.heapBytes - bare.heapBytes) / 1024 / 1024;
const results = [
  { name: 'empty process', baseline: true, nsPerOp: bare.elapsedMs * 1e6 },
  { name: 'floor: import api + core + resources + sdk-trace-base, new BasicTracerProvider()', baseline: false, nsPerOp: required.elapsedMs * 1e6 },
  { name: 'reference: import sdk-trace-node + NodeTracerProvider.register()', baseline: false, nsPerOp: sdk.elapsedMs * 1e6 },
  { name: "import '@jts/trace' + initTracing()", baseline: false, nsPerOp: traced.elapsedMs * 1e6 },
  { name: "import '@jts/trace' + initTracing({ enabled: false })", baseline: false, nsPerOp: disabled.elapsedMs * 1e6 },
].map((row) => ({ ...row, opsPerSec: 1e9 / row.nsPerOp, rme: Number.NaN, samples: RUNS, timeRatio: row.nsPerOp / (bare.elapsedMs * 1e6) }));
const goals = [
  { case: "import '@jts/trace' + initTracing()", text: 'start-up adds at most a third of NodeSDK (150 ms / 3 = 50 ms)', maxAddedNs: 50e6, timeRatio: results[3]?.timeRatio, addedNs: addedMs * 1e6, met: addedMs <= 50 },
];
const heapMet = addedMb <= 14 / 3;
const floorMs = required.elapsedMs - bare.elapsedMs;
const floorMb = (required.heapBytes - bare.heapBytes) / 1024 / 1024;
const overFloor = `over the floor (the SDK modules any tracer provider loads: +${floorMs.toFixed(1)} ms, +${floorMb.toFixed(2)} MB) @jts/trace adds ${(addedMs - floorMs).toFixed(1)} ms and ${(addedMb - floorMb).toFixed(2)} MB`;
const notes = `Heap after start-up: +${addedMb.toFixed(2)} MB (goal: at most a third of NodeSDK's 14 MB = 4.7 MB: ${heapMet ? 'met' : '**not met**'}); the bare SDK alone: +${((sdk.heapBytes - bare.heapBytes) / 1024 / 1024).toFixed(2)} MB. Time: ${overFloor}; the 50 ms goal ${floorMs > 50 ? 'cannot be met while the required SDK modules alone take longer' : 'is within reach of the floor'}.`;
const resultsDir = join(here, '../../../bench/results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'trace-startup.json'),
  `${JSON.stringify({ suite: 'trace-startup', title: '@jts/trace: start-up cost', description: `Median of ${RUNS} fresh processes (node --expose-gc, built ESM dist): wall time of import + initTracing with the default OTLP/HTTP exporter, and heap after two forced GCs, against an empty process. Start-up adds ${addedMs.toFixed(1)} ms and ${addedMb.toFixed(2)} MB; the bare SDK alone (sdk-trace-node, registered, no exporter) adds ${(sdk.elapsedMs - bare.elapsedMs).toFixed(1)} ms and ${((sdk.heapBytes - bare.heapBytes) / 1024 / 1024).toFixed(2)} MB; ${overFloor}.`, node: process.version, date: new Date().toISOString(), results, goals, notes }, null, 2)}\n`,
);
console.log(`bare SDK: +${(sdk.elapsedMs - bare.elapsedMs).toFixed(1)} ms, heap +${((sdk.heapBytes - bare.heapBytes) / 1024 / 1024).toFixed(2)} MB`);
console.log(`floor (api + core + resources + sdk-trace-base): +${floorMs.toFixed(1)} ms, heap +${floorMb.toFixed(2)} MB; ${overFloor}`);
console.log(`tracing off: +${(disabled.elapsedMs - bare.elapsedMs).toFixed(1)} ms, heap +${((disabled.heapBytes - bare.heapBytes) / 1024 / 1024).toFixed(2)} MB`);
console.log(`start-up: +${addedMs.toFixed(1)} ms (goal <= 50 ms: ${addedMs <= 50 ? 'MET' : 'NOT MET'}), heap +${addedMb.toFixed(2)} MB (goal <= 4.7 MB: ${heapMet ? 'MET' : 'NOT MET'})`);
