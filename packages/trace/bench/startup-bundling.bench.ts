// The start-up design choice measured: the OpenTelemetry SDK modules @jts/trace loads (core,
// resources, sdk-trace-base, sdk-trace-node), as installed (many CommonJS files) against the same
// modules bundled into one file by esbuild (from their ESM builds, tree-shaken), each loaded after
// @opentelemetry/api in a fresh process. Bundling is not what the package does (see the tracing
// guide); this keeps the figure the guide quotes reproducible.
// Run: node --import tsx packages/trace/bench/startup-bundling.bench.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeSuiteResult } from '../../../bench/harness.js';
import { measureFreshProcesses } from './fresh-processes.js';

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
  ['core', 'resources', 'sdk-trace-base', 'sdk-trace-node']
    .map((name, index) => `export * as m${index} from '@opentelemetry/${name}';`)
    .join('\n'),
);
const bundle = join(work, 'sdk.cjs');
try {
  esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['@opentelemetry/api'],
    mainFields: ['module', 'main'],
    outfile: bundle,
    logLevel: 'error',
    nodePaths: [join(packageDir, 'node_modules')],
  });
} catch (error) {
  rmSync(work, { recursive: true, force: true });
  throw error;
}

// api is loaded untimed first: it is the peer every variant shares.
const prelude = `const { createRequire } = await import('node:module');
const load = createRequire(${JSON.stringify(pathToFileURL(join(packageDir, 'package.json')).href)});
load('@opentelemetry/api');`;
const VARIANTS = {
  none: { name: 'nothing more (api only)', prelude, code: '' },
  installed: {
    name: 'the SDK modules as installed',
    prelude,
    code: "for (const name of ['core', 'resources', 'sdk-trace-base', 'sdk-trace-node']) load('@opentelemetry/' + name);",
  },
  bundled: {
    name: 'the same modules bundled into one file (esbuild)',
    prelude,
    code: `load(${JSON.stringify(bundle)});`,
  },
} as const;
let measured: ReturnType<typeof measureFreshProcesses<keyof typeof VARIANTS>>;
try {
  measured = measureFreshProcesses(VARIANTS, { runs: RUNS, cwd: packageDir });
} finally {
  rmSync(work, { recursive: true, force: true });
}
const MB = 1024 * 1024;
const added = (variant: keyof typeof VARIANTS) => ({
  ms: measured[variant].elapsedMs - measured.none.elapsedMs,
  mb: (measured[variant].heapBytes - measured.none.heapBytes) / MB,
});
const installed = added('installed');
const rows = (['installed', 'bundled'] as const).map((variant) => {
  const value = added(variant);
  return {
    name: VARIANTS[variant].name,
    baseline: variant === 'installed',
    addedMs: value.ms,
    addedMb: value.mb,
    timeShare: value.ms / installed.ms,
    heapShare: value.mb / installed.mb,
  };
});
writeSuiteResult({
  suite: 'trace-startup-bundling',
  title: '@jts/trace: start-up, the SDK as installed or bundled (a design choice measured)',
  description: `Median of ${RUNS} fresh processes per variant, interleaved: time and heap of loading @opentelemetry/core, resources, sdk-trace-base and sdk-trace-node after @opentelemetry/api, as installed (CommonJS, many files) or bundled into one file by esbuild. @jts/trace loads them as installed; the tracing guide explains why.`,
  layout: 'startup',
  results: rows,
});
for (const row of rows) console.log(`${row.name}: +${row.addedMs.toFixed(1)} ms, +${row.addedMb.toFixed(2)} MB`);
