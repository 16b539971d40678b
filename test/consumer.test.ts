// What our users do: pack every publishable package, install the tarballs with plain npm into a
// project outside the workspace, and use them from ESM, CommonJS and type-checked TypeScript.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pnpmSpec = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('+')[0];
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);

// The one symbol each package is known for: the consumer checks it is a function in every module system.
const entryPoints: Record<string, string> = {
  '@jts/core': 'runWithContext',
  '@jts/log': 'createLogger',
  '@jts/metrics': 'createTradingMetrics',
  '@jts/trace': 'initTracing',
  '@jts/compliance': 'createAuditTrail',
  '@jts/http': 'instrumentHandler',
};

let project: string;
const run = (file: string, args: string[], cwd = project) =>
  execFileSync(file, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'jts-consumer-'));
  const tarballs: Record<string, string> = {};
  for (const { dir, pkg } of packages) {
    const out = run('npx', ['-y', pnpmSpec, 'pack', '--pack-destination', project], join(root, 'packages', dir));
    const tarball = out.trim().split('\n').filter((line) => line.endsWith('.tgz')).at(-1)!;
    tarballs[pkg.name] = `file:${join(project, tarball.split('/').at(-1)!)}`;
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'jts-consumer', private: true, dependencies: tarballs, overrides: tarballs }, null, 2),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
}, 600_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('consumer project outside the workspace', () => {
  it('knows the main export of every published package', () => {
    expect(packages.map(({ pkg }) => pkg.name).filter((name) => !(name in entryPoints))).toEqual([]);
  });

  it('installs every package from its tarball with workspace ranges rewritten', () => {
    for (const { pkg } of packages) {
      const installed = JSON.parse(readFileSync(join(project, 'node_modules', pkg.name, 'package.json'), 'utf8'));
      expect(installed.version).toBe(pkg.version);
      for (const range of Object.values<string>(installed.dependencies ?? {})) expect(range).not.toMatch(/^workspace:/);
    }
  });

  it('imports every package from ESM', () => {
    const lines = packages.map(
      ({ pkg }, index) =>
        `import * as m${index} from '${pkg.name}';\nif (typeof m${index}.${entryPoints[pkg.name] ?? 'default'} !== 'function') throw new Error('${pkg.name}: missing ${entryPoints[pkg.name]}');`,
    );
    writeFileSync(join(project, 'esm.mjs'), `${lines.join('\n')}\nconsole.log('esm ok');\n`);
    expect(run('node', ['esm.mjs']).trim()).toBe('esm ok');
  });

  it('requires every package from CommonJS', () => {
    const lines = packages.map(
      ({ pkg }) => `if (typeof require('${pkg.name}').${entryPoints[pkg.name]} !== 'function') throw new Error('${pkg.name}');`,
    );
    writeFileSync(join(project, 'cjs.cjs'), `${lines.join('\n')}\nconsole.log('cjs ok');\n`);
    expect(run('node', ['cjs.cjs']).trim()).toBe('cjs ok');
  });

  it('shares one context between the ESM and CJS builds of @jts/core', () => {
    writeFileSync(
      join(project, 'dual.mjs'),
      `import { createRequire } from 'node:module';
import { runWithContext } from '@jts/core';
const cjs = createRequire(import.meta.url)('@jts/core');
const seen = runWithContext({ correlationId: 'dual-1', symbol: 'AAPL' }, () => [cjs.correlationId(), cjs.currentContext().fields.symbol]);
console.log(seen.join(' '));
`,
    );
    expect(run('node', ['dual.mjs']).trim()).toBe('dual-1 AAPL');
  });

  it('type-checks a TypeScript consumer (node16 resolution, ESM and CJS)', () => {
    const body = `import { runWithContext, orderExecution, type JtsContext, type OperationMessage } from '@jts/core';
const context: JtsContext | undefined = runWithContext({ correlationId: 'ts-1' }, () => undefined);
const handler = (message: OperationMessage) => message.context.correlationId;
orderExecution.run({ orderId: 'o-1', symbol: 'AAPL' }, (scope) => scope.setOutcome('filled'));
export { context, handler };
${packages
  .filter(({ pkg }) => pkg.name !== '@jts/core')
  .map(({ pkg }, index) => `import * as p${index} from '${pkg.name}';\nexport const f${index}: Function = p${index}.${entryPoints[pkg.name]};`)
  .join('\n')}
`;
    writeFileSync(join(project, 'consumer.mts'), body);
    writeFileSync(join(project, 'consumer.cts'), body);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(root, 'node_modules/@types')] },
        files: ['consumer.mts', 'consumer.cts'],
      }),
    );
    const tsc = (config: string) => spawnSync('node', [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], { cwd: project, encoding: 'utf8' });
    const clean = tsc('tsconfig.json');
    expect(clean.stdout).toBe('');
    expect(clean.status).toBe(0);
    writeFileSync(join(project, 'broken.mts'), `import { runWithContext } from '@jts/core';\nrunWithContext({ correlationId: 42 }, () => 1);\n`);
    writeFileSync(join(project, 'tsconfig.broken.json'), JSON.stringify({ extends: './tsconfig.json', files: ['broken.mts'] }));
    // The same check must be able to fail: a wrong type is reported.
    const broken = tsc('tsconfig.broken.json');
    expect(broken.status).not.toBe(0);
    expect(broken.stdout).toMatch(/broken\.mts.*TS2322/);
  });
});
