#!/usr/bin/env node
// Enforces the dependency rules written in docs/architecture.md: which @jts package may import which,
// and that every example under examples/ is a template that stands on its own.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

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

const importPattern =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
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
    if (match && !rules.includes(match[1]))
      problems.push(`packages/${name}/package.json depends on ${dependency}: not allowed`);
  }
  for (const peer of optionalPeers[name] ?? []) {
    const dependency = `@jts/${peer}`;
    if (pkg.dependencies?.[dependency] !== undefined)
      problems.push(
        `packages/${name}/package.json has ${dependency} in dependencies: it must be an optional peer dependency`,
      );
    if (pkg.peerDependencies?.[dependency] !== undefined && pkg.peerDependenciesMeta?.[dependency]?.optional !== true) {
      problems.push(
        `packages/${name}/package.json: peer ${dependency} must be marked optional in peerDependenciesMeta`,
      );
    }
  }
  if (name === 'core') {
    for (const dependency of Object.keys(pkg.dependencies ?? {})) {
      if (!coreMayDependOn.includes(dependency))
        problems.push(`@jts/core must have zero runtime dependencies, found ${dependency}`);
    }
  }
  for (const file of sourceFiles(join(packagesDir, name, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const found of text.matchAll(importPattern)) {
      const specifier = found[1] ?? found[2] ?? found[3] ?? found[4];
      const match = /^@jts\/([^/]+)/.exec(specifier);
      if (match && !rules.includes(match[1]))
        problems.push(
          `${relative(root, file)} imports ${specifier}: @jts/${name} may import only ${rules.map((r) => `@jts/${r}`).join(', ') || 'Node built-ins'}`,
        );
      if (!match && /^\.\.\/\.\.\//.test(specifier))
        problems.push(`${relative(root, file)} reaches outside its package: ${specifier}`);
      if (name === 'core' && !specifier.startsWith('.') && !specifier.startsWith('node:'))
        problems.push(`${relative(root, file)}: @jts/core imports ${specifier}; only node: built-ins are allowed`);
    }
  }
}
// Examples are templates a user copies out of the repository: each imports only files of its own
// folder, Node built-ins, our published packages (public entry points) and what its package.json
// declares; it depends on our packages by a workspace range (`workspace:^` becomes `^x.y.z` when
// copied or packed); nothing in packages/ depends on an example.
const published = new Map();
for (const name of readdirSync(packagesDir)) {
  const pkgPath = join(packagesDir, name, 'package.json');
  if (!existsSync(pkgPath)) continue;
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  if (!pkg.private) published.set(pkg.name, pkg);
  for (const dependency of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies })) {
    if (dependency.startsWith('@jts/example-'))
      problems.push(`packages/${name}/package.json depends on ${dependency}: nothing may depend on an example`);
  }
}
const builtins = new Set(builtinModules);
const packageNameOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const examplesDir = join(root, 'examples');
for (const name of existsSync(examplesDir) ? readdirSync(examplesDir) : []) {
  const exampleDir = join(examplesDir, name);
  const pkgPath = join(exampleDir, 'package.json');
  if (!existsSync(pkgPath)) continue;
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const declared = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
  for (const [dependency, range] of Object.entries(declared)) {
    if (!dependency.startsWith('@jts/')) continue;
    if (!published.has(dependency))
      problems.push(
        `examples/${name}/package.json depends on ${dependency}: an example may depend only on our published packages`,
      );
    else if (!/^workspace:[\^~]$/.test(range))
      problems.push(
        `examples/${name}/package.json depends on ${dependency} by "${range}": use a version range through the workspace protocol ("workspace:^")`,
      );
  }
  const files = [
    ...sourceFiles(join(exampleDir, 'src')),
    ...sourceFiles(join(exampleDir, 'test')),
    ...readdirSync(exampleDir)
      .filter((file) => /\.(c|m)?[jt]s$/.test(file))
      .map((file) => join(exampleDir, file)),
  ];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const found of text.matchAll(importPattern)) {
      const specifier = found[1] ?? found[2] ?? found[3] ?? found[4];
      const where = relative(root, file);
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        if (target !== exampleDir && !target.startsWith(exampleDir + sep))
          problems.push(`${where} imports ${specifier}: outside examples/${name} (a template must stand on its own)`);
        continue;
      }
      if (specifier.startsWith('/')) {
        problems.push(`${where} imports ${specifier}: an absolute path`);
        continue;
      }
      if (specifier.startsWith('node:') || builtins.has(specifier)) continue;
      const dependency = packageNameOf(specifier);
      if (dependency.startsWith('@jts/')) {
        if (!published.has(dependency))
          problems.push(`${where} imports ${specifier}: an example may import only our published packages`);
        else if (specifier !== dependency)
          problems.push(`${where} imports ${specifier}: only the public entry point ${dependency} (not internals)`);
      }
      if (declared[dependency] === undefined)
        problems.push(`${where} imports ${specifier}, which examples/${name}/package.json does not declare`);
    }
  }
}

if (problems.length > 0) {
  console.error(`Dependency boundary violations:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  'Dependency boundaries hold: log/metrics/trace/compliance import only @jts/core (log also its optional peer @jts/log-elasticsearch, which imports only @jts/core); core imports only Node built-ins; every example imports only its own files, Node built-ins, our published packages and its declared dependencies.',
);
