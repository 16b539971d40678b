// The start-up design choice measured: the OpenTelemetry SDK modules @jts/trace loads (core,
// resources, sdk-trace-base, sdk-trace-node), as installed (many CommonJS files) against the same
// modules bundled into one file by esbuild (from their ESM builds, tree-shaken), each loaded after
// @opentelemetry/api in a fresh process. Bundling is not what the package does (see the tracing
// guide); this keeps the figure the guide quotes reproducible.
// Run: node --import tsx packages/trace/bench/startup-bundling.bench.ts
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..');
const RUNS = Number(process.env.STARTUP_RUNS ?? 15);
// esbuild comes with tsup, the build tool of every package.
const fromTsup = createRequire(createRequire(join(packageDir, 'package.json')).resolve('tsup'));
// The one esbuild call made here (esbuild is not a direct dependency, so its types are not in reach).
const esbuild = fromTsup('esbuild') as { buildSync(options: Record<string, unknown>): unknown };

// Inside the package, so the bundle resolves @opentelemetry/api (kept external) as the package does.
const work = mkdtempSync(join(packageDir, '.startup-bundle-'));
const entry = join(work, 'entry.mjs');
writeFileSync(
  entry,
  ['core', 'resources', 'sdk-trace-base', 'sdk-trace-node'].map((name, index) => `export * as m${index} from '@opentelemetry/${name}';`).join('\n'),
);
const bundle = join(work, 'sdk.cjs');
try {
  esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', external: ['@opentelemetry/api'], mainFields: ['module', 'main'], outfile: bundle, logLevel: 'error', nodePaths: [join(packageDir, 'node_modules')] });
} catch (error) {
  rmSync(work, { recursive: true, force: true });
  throw error;
}

const load = (what: string) => `const { createRequire } = await import('node:module');
const load = createRequire(${JSON.stringify(pathToFileURL(join(packageDir, 'package.json')).href)});
load('@opentelemetry/api');
const started = performance.now();
${what}
const elapsed = performance.now() - started;
globalThis.gc(); globalThis.gc();
console.log(JSON.stringify({ elapsed, heap: process.memoryUsage().heapUsed }));`;
const VARIANTS = {
  none: { name: 'nothing more (api only)', code: load('') },
  installed: { name: 'the SDK modules as installed', code: load("for (const name of ['core', 'resources', 'sdk-trace-base', 'sdk-trace-node']) load('@opentelemetry/' + name);") },
  bundled: { name: 'the same modules bundled into one file (esbuild)', code: load(`load(${JSON.stringify(bundle)});`) },
} as const;
type Variant = keyof typeof VARIANTS;
const samples: Record<Variant, { elapsed: number; heap: number }[]> = { none: [], installed: [], bundled: [] };
try {
  for (let run = 0; run < RUNS; run++) {
    for (const variant of Object.keys(VARIANTS) as Variant[]) {
      const out = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', VARIANTS[variant].code], { encoding: 'utf8', cwd: packageDir });
      if (out.status !== 0) throw new Error(`${variant}: ${out.stderr}`);
      samples[variant].push(JSON.parse(out.stdout.trim()));
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const figure = (variant: Variant) => ({ ms: median(samples[variant].map((sample) => sample.elapsed)), mb: median(samples[variant].map((sample) => sample.heap)) / 1024 / 1024 });
const base = figure('none');
const installed = figure('installed');
const rows = (['installed', 'bundled'] as const).map((variant) => {
  const value = figure(variant);
  return { name: VARIANTS[variant].name, baseline: variant === 'installed', addedMs: value.ms - base.ms, addedMb: value.mb - base.mb, timeShare: (value.ms - base.ms) / (installed.ms - base.ms), heapShare: (value.mb - base.mb) / (installed.mb - base.mb) };
});
const resultsDir = join(here, '../../../bench/results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'trace-startup-bundling.json'),
  `${JSON.stringify(
    {
      suite: 'trace-startup-bundling',
      title: '@jts/trace: start-up, the SDK as installed or bundled (a design choice measured)',
      description: `Median of ${RUNS} fresh processes per variant, interleaved: time and heap of loading @opentelemetry/core, resources, sdk-trace-base and sdk-trace-node after @opentelemetry/api, as installed (CommonJS, many files) or bundled into one file by esbuild. @jts/trace loads them as installed; the tracing guide explains why.`,
      layout: 'startup',
      node: process.version,
      date: new Date().toISOString(),
      results: rows,
      goals: [],
    },
    null,
    2,
  )}\n`,
);
for (const row of rows) console.log(`${row.name}: +${row.addedMs.toFixed(1)} ms, +${row.addedMb.toFixed(2)} MB`);
