#!/usr/bin/env node
// Enforces the dependency rules written in docs/architecture.md: which @jts package may import which.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.argv[2] ?? new URL('..', import.meta.url).pathname;
const allowed = {
  core: [],
  log: ['core', 'log-elasticsearch'],
  'log-elasticsearch': ['core'],
  metrics: ['core'],
  trace: ['core'],
  compliance: ['core'],
  http: ['core'],
  express: ['http', 'core'],
  nestjs: ['http', 'core'],
};
const coreMayDependOn = []; // @jts/core: Node built-ins only
// Packages another may use only as an optional peer, loaded when configured: a plain logger must
// install without the Elasticsearch client.
const optionalPeers = { log: ['log-elasticsearch'] };

function* sourceFiles(directory) {
  if (!existsSync(directory)) return;
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(c|m)?[jt]s$/.test(entry)) yield path;
  }
}

const importPattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
const problems = [];
const packagesDir = join(root, 'packages');
for (const name of readdirSync(packagesDir)) {
  const pkgPath = join(packagesDir, name, 'package.json');
  if (!existsSync(pkgPath)) continue;
  const rules = allowed[name];
  if (!rules) {
    problems.push(`packages/${name}: no dependency rule defined in scripts/check-boundaries.mjs`);
    continue;
  }
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const declared = { ...pkg.dependencies, ...pkg.peerDependencies };
  for (const dependency of Object.keys(declared)) {
    const match = /^@jts\/(.+)$/.exec(dependency);
    if (match && !rules.includes(match[1])) problems.push(`packages/${name}/package.json depends on ${dependency}: not allowed`);
  }
  for (const peer of optionalPeers[name] ?? []) {
    const dependency = `@jts/${peer}`;
    if (pkg.dependencies?.[dependency] !== undefined) problems.push(`packages/${name}/package.json has ${dependency} in dependencies: it must be an optional peer dependency`);
    if (pkg.peerDependencies?.[dependency] !== undefined && pkg.peerDependenciesMeta?.[dependency]?.optional !== true) {
      problems.push(`packages/${name}/package.json: peer ${dependency} must be marked optional in peerDependenciesMeta`);
    }
  }
  if (name === 'core') {
    for (const dependency of Object.keys(pkg.dependencies ?? {})) {
      if (!coreMayDependOn.includes(dependency)) problems.push(`@jts/core must have zero runtime dependencies, found ${dependency}`);
    }
  }
  for (const file of sourceFiles(join(packagesDir, name, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const found of text.matchAll(importPattern)) {
      const specifier = found[1] ?? found[2] ?? found[3] ?? found[4];
      const match = /^@jts\/([^/]+)/.exec(specifier);
      if (match && !rules.includes(match[1])) problems.push(`${relative(root, file)} imports ${specifier}: @jts/${name} may import only ${rules.map((r) => `@jts/${r}`).join(', ') || 'Node built-ins'}`);
      if (!match && /^\.\.\/\.\.\//.test(specifier)) problems.push(`${relative(root, file)} reaches outside its package: ${specifier}`);
      if (name === 'core' && !specifier.startsWith('.') && !specifier.startsWith('node:')) problems.push(`${relative(root, file)}: @jts/core imports ${specifier}; only node: built-ins are allowed`);
    }
  }
}
if (problems.length > 0) {
  console.error(`Dependency boundary violations:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('Dependency boundaries hold: log/metrics/trace/compliance import only @jts/core (log also its optional peer @jts/log-elasticsearch, which imports only @jts/core); core imports only Node built-ins.');
