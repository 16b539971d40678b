#!/usr/bin/env node
// Packaging checks for every publishable package: the manifest shape our users rely on,
// the built files, `publint --strict` and `attw --pack`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
const problems = [];

for (const name of readdirSync(packagesDir).sort()) {
  const dir = join(packagesDir, name);
  const pkgPath = join(dir, 'package.json');
  if (!existsSync(pkgPath)) continue;
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  if (pkg.private) continue;
  const where = `${pkg.name}`;
  const rootExport = pkg.exports?.['.'];
  for (const condition of ['import', 'require']) {
    const entry = rootExport?.[condition];
    if (!entry || Object.keys(entry)[0] !== 'types')
      problems.push(`${where}: exports["."].${condition} must list "types" first`);
  }
  if (pkg.sideEffects !== false) problems.push(`${where}: "sideEffects": false is required`);
  if (!Array.isArray(pkg.files) || !pkg.files.includes('dist')) problems.push(`${where}: "files" must include "dist"`);
  if (pkg.engines?.node !== '>=20.6') problems.push(`${where}: engines.node must be ">=20.6"`);
  if (pkg.type !== 'module') problems.push(`${where}: "type": "module" expected (ESM first, CJS as .cjs)`);
  for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']) {
    if (!existsSync(join(dir, file))) problems.push(`${where}: ${file} missing (run the build first)`);
  }

  const { messages, pkg: manifest } = await publint({ pkgDir: dir, strict: true, level: 'suggestion', pack: 'npm' });
  for (const message of messages)
    problems.push(`${where}: publint ${message.type}: ${formatMessage(message, manifest)}`);

  const attw = spawnSync(join(root, 'node_modules/.bin/attw'), ['--pack', dir, '--format', 'ascii'], {
    encoding: 'utf8',
  });
  if (attw.status !== 0) problems.push(`${where}: attw --pack failed:\n${attw.stdout}${attw.stderr}`);
  else console.log(`✔ ${where}: manifest, publint --strict, attw --pack`);
}

if (problems.length > 0) {
  console.error(`Packaging problems:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
