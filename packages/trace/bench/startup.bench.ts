// Start-up cost of `import '@jts/trace'` + `initTracing()` (built dist, default OTLP exporter),
// each measurement in a fresh process, against the reference the issue names in the same run:
// OpenTelemetry's NodeSDK with auto-instrumentations (`getNodeAutoInstrumentations()`), started.
// Goal (issue 5): initTracing adds at most a third of what NodeSDK adds, in time and in heap.
// Needs `npx tsup` in packages/trace first.
// Run: node --import tsx packages/trace/bench/startup.bench.ts
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeSuiteResult } from '../../../bench/harness.js';
import { measureFreshProcesses } from './fresh-processes.js';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../dist/index.js');
if (!existsSync(dist)) throw new Error('build first: cd packages/trace && npx tsup');
const RUNS = Number(process.env.STARTUP_RUNS ?? 15);
const requireFromHere = `const { createRequire } = await import('node:module');
const load = createRequire(${JSON.stringify(pathToFileURL(join(here, '../package.json')).href)});`;

const VARIANTS = {
  empty: { name: 'empty process', code: '' },
  // The reference of the goal: NodeSDK as its documentation starts it, every auto-instrumentation on.
  nodeSdk: {
    name: 'reference: NodeSDK + getNodeAutoInstrumentations(), start()',
    code: `const { NodeSDK } = await import('@opentelemetry/sdk-node');
const { getNodeAutoInstrumentations } = await import('@opentelemetry/auto-instrumentations-node');
const sdk = new NodeSDK({ serviceName: 'startup-bench', instrumentations: [getNodeAutoInstrumentations()] });
sdk.start();
close = () => sdk.shutdown();`,
  },
  // The peer every OpenTelemetry user loads, alone, the cheapest way (require).
  api: {
    name: 'floor part: @opentelemetry/api alone (require)',
    code: `${requireFromHere}\nload('@opentelemetry/api');`,
  },
  // Floor: the modules any OpenTelemetry tracer provider loads (api, core, resources, sdk-trace-base,
  // which bring semantic-conventions and sdk-trace), loaded the cheapest way (require, no ESM
  // export scan), and a provider; @jts/trace cannot start below this without bundling the SDK.
  floor: {
    name: 'floor: api + core + resources + sdk-trace-base (require), new BasicTracerProvider()',
    code: `${requireFromHere}
load('@opentelemetry/api'); load('@opentelemetry/core'); load('@opentelemetry/resources');
const provider = new (load('@opentelemetry/sdk-trace-base').BasicTracerProvider)();
close = () => provider.shutdown();`,
  },
  // The bare OpenTelemetry SDK every tracing setup loads (no exporter, no instrumentation).
  sdk: {
    name: 'reference: sdk-trace-node + NodeTracerProvider.register()',
    code: `const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
const provider = new NodeTracerProvider(); provider.register();
close = () => provider.shutdown();`,
  },
  jts: {
    name: "import '@jts/trace' + initTracing()",
    code: `const { initTracing } = await import(${JSON.stringify(pathToFileURL(dist).href)});
const tracing = initTracing({ serviceName: 'startup-bench', flushOnExit: false, otlp: { url: 'http://127.0.0.1:9/v1/traces' } });
close = () => tracing.close();`,
  },
  // Tracing off (OTEL_SDK_DISABLED=true): the SDK modules are never loaded.
  disabled: {
    name: "import '@jts/trace' + initTracing({ enabled: false })",
    code: `const { initTracing } = await import(${JSON.stringify(pathToFileURL(dist).href)});
const tracing = initTracing({ enabled: false });
close = () => tracing.close();`,
  },
} as const;
type Variant = keyof typeof VARIANTS;

const order: Variant[] = ['empty', 'nodeSdk', 'api', 'floor', 'sdk', 'jts', 'disabled'];
// No exporter may reach anything: NodeSDK's default OTLP exporter and ours point at a closed port.
const measured = measureFreshProcesses(VARIANTS, {
  runs: RUNS,
  cwd: join(here, '..'),
  env: {
    ...process.env,
    OTEL_SDK_DISABLED: '',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  },
});
const MB = 1024 * 1024;
const added = (variant: Variant) => ({
  ms: measured[variant].elapsedMs - measured.empty.elapsedMs,
  mb: (measured[variant].heapBytes - measured.empty.heapBytes) / MB,
});
const reference = added('nodeSdk');
const ours = added('jts');
const floor = added('floor');
const api = added('api');
const timeShare = ours.ms / reference.ms;
const heapShare = ours.mb / reference.mb;
const rows = order
  .filter((variant) => variant !== 'empty')
  .map((variant) => {
    const figures = added(variant);
    return {
      name: VARIANTS[variant].name,
      baseline: variant === 'nodeSdk',
      addedMs: figures.ms,
      addedMb: figures.mb,
      timeShare: figures.ms / reference.ms,
      heapShare: figures.mb / reference.mb,
    };
  });
const goals = [
  {
    case: VARIANTS.jts.name,
    text: 'start-up time adds at most a third of NodeSDK + auto-instrumentations (same run)',
    measured: `${timeShare.toFixed(2)}× (+${ours.ms.toFixed(1)} ms against +${reference.ms.toFixed(1)} ms)`,
    met: timeShare <= 1 / 3,
  },
  {
    case: VARIANTS.jts.name,
    text: 'start-up heap adds at most a third of NodeSDK + auto-instrumentations (same run)',
    measured: `${heapShare.toFixed(2)}× (+${ours.mb.toFixed(2)} MB against +${reference.mb.toFixed(2)} MB)`,
    met: heapShare <= 1 / 3,
  },
];
const notes = [
  `The issue quotes NodeSDK with auto-instrumentations at about 150 ms and 14 MB, so a third would be 50 ms and 4.7 MB. In this run NodeSDK adds ${reference.ms.toFixed(0)} ms and ${reference.mb.toFixed(1)} MB: the heap agrees with the quote, the time is ${(reference.ms / 150).toFixed(1)}x it, which is why the goal is judged against the reference measured beside it.`,
  `In absolute terms @jts/trace adds ${ours.ms.toFixed(1)} ms, ${ours.ms <= 50 ? 'within' : 'over'} 50 ms. Any tracer provider needs ${floor.ms.toFixed(1)} ms here (the floor row), of which @opentelemetry/api alone, the peer every OpenTelemetry user loads, takes ${api.ms.toFixed(1)} ms; @jts/trace adds ${(ours.ms - floor.ms).toFixed(1)} ms and ${(ours.mb - floor.mb).toFixed(2)} MB over the floor.`,
].join(' ');
writeSuiteResult({
  suite: 'trace-startup',
  title: '@jts/trace: start-up cost',
  description: `Median of ${RUNS} fresh processes per variant, the variants interleaved run by run (node --expose-gc, built ESM dist): wall time of the imports and the set-up, and heap after two forced GCs, each minus an empty process. The baseline is OpenTelemetry's NodeSDK with every auto-instrumentation, the reference the issue names; "share" is a row's added figure over the baseline's.`,
  layout: 'startup',
  results: rows,
  goals,
  notes,
});
for (const row of rows)
  console.log(
    `${row.name}: +${row.addedMs.toFixed(1)} ms, +${row.addedMb.toFixed(2)} MB (${row.timeShare.toFixed(2)}x / ${row.heapShare.toFixed(2)}x of NodeSDK)`,
  );
for (const goal of goals) console.log(`${goal.text}: ${goal.measured} ${goal.met ? 'MET' : 'NOT MET'}`);
