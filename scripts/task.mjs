#!/usr/bin/env node
// Entry point of `npm test` and `npm run demo` (`npm run demo -- --duration 20 --stack`): needs
// only Node and npm on the machine.
// pnpm is fetched by npx at the version pinned in package.json#packageManager.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('+')[0];

function step(title, command, args, extraEnv = {}) {
  const started = Date.now();
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (exit ${result.status ?? result.signal}) after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${title} (${seconds}s)`);
}

const pnpm = (title, ...args) =>
  step(title, 'npx', ['-y', pnpmVersion, ...args], { npm_config_update_notifier: 'false' });

const tasks = {
  install() {
    pnpm('install dependencies (frozen lockfile)', 'install', '--frozen-lockfile');
  },
  build() {
    pnpm('build packages', 'run', 'build');
  },
  test() {
    tasks.install();
    tasks.build();
    pnpm('type-check', 'run', 'typecheck');
    pnpm('lint', 'run', 'lint');
    pnpm('dependency boundaries', 'run', 'check:boundaries');
    pnpm('packaging (publint --strict, attw --pack)', 'run', 'check:packages');
    pnpm('tests (unit, integration, consumer)', 'exec', 'vitest', 'run');
  },
  demo() {
    const started = Date.now();
    tasks.install();
    tasks.build();
    pnpm('build the example services and the demo', 'run', 'build:examples');
    console.log(`\n▶ demo (ready after ${((Date.now() - started) / 1000).toFixed(1)}s of install and build)\n`);
    // Not spawnSync: Ctrl-C reaches the demo (same process group), which stops its services and
    // the stack and then exits; this process waits for that instead of dying first.
    const child = spawn(process.execPath, [join(root, 'examples/demo/dist/main.js'), ...process.argv.slice(3)], {
      cwd: root,
      stdio: 'inherit',
    });
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});
    child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
  },
};

const name = process.argv[2];
if (!tasks[name]) {
  console.error(`usage: node scripts/task.mjs <${Object.keys(tasks).join('|')}>`);
  process.exit(2);
}
tasks[name]();
