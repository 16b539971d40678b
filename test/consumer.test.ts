// What our users do: pack every publishable package, install the tarballs with plain npm into a
// project outside the workspace, and use them from ESM, CommonJS and type-checked TypeScript.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeElasticsearch, startFakeElasticsearch } from './support/fake-elasticsearch.js';

const root = join(import.meta.dirname, '..');
const pnpmSpec = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('+')[0];
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);

// The one symbol each package is known for: the consumer checks it is a function in every module system.
const entryPoints: Record<string, string> = {
  '@jts/core': 'runWithContext',
  '@jts/log': 'createLogger',
  '@jts/log-elasticsearch': 'createElasticsearchDestination',
  '@jts/metrics': 'createTradingMetrics',
  '@jts/trace': 'initTracing',
  '@jts/compliance': 'createAuditTrail',
  '@jts/http': 'instrumentHandler',
  '@jts/express': 'expressMiddleware',
  '@jts/nestjs': 'JtsModule',
};

// The frameworks a Node 20 user installs beside the adapters (their peers): NestJS 11, since NestJS
// 12's own dependencies (file-type 22) declare Node 22; Express 5.
const FRAMEWORKS = {
  '@nestjs/common': '^11.0.0',
  '@nestjs/core': '^11.0.0',
  'reflect-metadata': '^0.2.2',
  rxjs: '^7.8.2',
  express: '^5.1.0',
};

let project: string;
let tarballs: Record<string, string>;
const run = (file: string, args: string[], cwd = project) =>
  // NODE_PATH is cleared: pnpm's bin shims point it at the workspace's store, where every workspace
  // package is resolvable; a consumer outside the workspace must see only what it installed.
  execFileSync(file, args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      NODE_PATH: '',
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    },
  });

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'jts-consumer-'));
  tarballs = {};
  for (const { dir, pkg } of packages) {
    const out = run('npx', ['-y', pnpmSpec, 'pack', '--pack-destination', project], join(root, 'packages', dir));
    const tarball = out
      .trim()
      .split('\n')
      .filter((line) => line.endsWith('.tgz'))
      .at(-1)!;
    tarballs[pkg.name] = `file:${join(project, tarball.split('/').at(-1)!)}`;
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      { name: 'jts-consumer', private: true, dependencies: { ...FRAMEWORKS, ...tarballs }, overrides: tarballs },
      null,
      2,
    ),
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
      ({ pkg }) =>
        `if (typeof require('${pkg.name}').${entryPoints[pkg.name]} !== 'function') throw new Error('${pkg.name}');`,
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
  .map(
    ({ pkg }, index) =>
      `import * as p${index} from '${pkg.name}';\nexport const f${index}: Function = p${index}.${entryPoints[pkg.name]};`,
  )
  .join('\n')}
`;
    writeFileSync(join(project, 'consumer.mts'), body);
    writeFileSync(join(project, 'consumer.cts'), body);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
        },
        files: ['consumer.mts', 'consumer.cts'],
      }),
    );
    const tsc = (config: string) =>
      spawnSync('node', [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], {
        cwd: project,
        encoding: 'utf8',
      });
    const clean = tsc('tsconfig.json');
    expect(clean.stdout).toBe('');
    expect(clean.status).toBe(0);
    writeFileSync(
      join(project, 'broken.mts'),
      `import { runWithContext } from '@jts/core';\nrunWithContext({ correlationId: 42 }, () => 1);\n`,
    );
    writeFileSync(
      join(project, 'tsconfig.broken.json'),
      JSON.stringify({ extends: './tsconfig.json', files: ['broken.mts'] }),
    );
    // The same check must be able to fail: a wrong type is reported.
    const broken = tsc('tsconfig.broken.json');
    expect(broken.status).not.toBe(0);
    expect(broken.stdout).toMatch(/broken\.mts.*TS2322/);
  });
});

describe('@jts/log with Elasticsearch shipping, from the tarballs', () => {
  let es: FakeElasticsearch;
  beforeAll(async () => {
    es = await startFakeElasticsearch();
  });
  afterAll(() => es?.close());

  // The logger loads the shipper with require (its CJS build) from ESM and CJS alike; the shipper
  // starts its worker from the file beside that build: both must be in the installed package.
  it.each([
    ['ESM', 'ship.mjs', "import { createLogger } from '@jts/log';"],
    ['CommonJS', 'ship.cjs', "const { createLogger } = require('@jts/log');"],
  ])('ships a line from %s through the installed worker-thread transport', async (_name, file, load) => {
    const service = `consumer-${file.replace('.', '-')}`;
    writeFileSync(
      join(project, file),
      `${load}
const log = createLogger({ serviceName: '${service}', destination: { stream: { write() {} } }, operations: false, elasticsearch: { spoolDir: process.env.SPOOL } });
log.info({ from: '${file}' }, 'shipped');
log.close().then(() => console.log(JSON.stringify(log.stats().elasticsearch)));
`,
    );
    const spool = join(project, `spool-${file}`);
    // Asynchronously: the loopback Elasticsearch answers from this process's event loop.
    const { stdout } = await promisify(execFile)('node', [file], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, JTS_ES_URL: es.url, SPOOL: spool },
    });
    expect(JSON.parse(stdout.trim())).toMatchObject({ received: 1, shipped: 1, dropped: 0 });
    expect(es.documents(`logs-jts.${service.replace(/-/g, '_')}-default`).map((document) => document.from)).toEqual([
      file,
    ]);
  });
});

describe('a plain @jts/log install, without @jts/log-elasticsearch', () => {
  let plain: string;
  beforeAll(() => {
    // Not inside the first project: Node would find its @jts/log-elasticsearch up the tree.
    plain = mkdtempSync(join(tmpdir(), 'jts-plain-logger-'));
    const only = { '@jts/core': tarballs['@jts/core'], '@jts/log': tarballs['@jts/log'] };
    writeFileSync(
      join(plain, 'package.json'),
      JSON.stringify(
        { name: 'jts-plain-logger', private: true, dependencies: { '@jts/log': only['@jts/log'] }, overrides: only },
        null,
        2,
      ),
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], plain);
  }, 600_000);
  afterAll(() => {
    if (plain) rmSync(plain, { recursive: true, force: true });
  });

  it('installs without the Elasticsearch client, and logs', () => {
    const lock = JSON.parse(readFileSync(join(plain, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    const installed = Object.keys(lock.packages).filter((path) => path !== '');
    expect(installed).toContain('node_modules/pino');
    expect(installed.filter((path) => /@elastic\/|@jts\/log-elasticsearch|@opentelemetry\/core/.test(path))).toEqual(
      [],
    );
    expect(existsSync(join(plain, 'node_modules', '@elastic'))).toBe(false);
    writeFileSync(
      join(plain, 'plain.mjs'),
      "import { createLogger } from '@jts/log';\ncreateLogger({ serviceName: 'plain', operations: false }).info({ qty: 1 }, 'plain line');\n",
    );
    expect(JSON.parse(run('node', ['plain.mjs'], plain))).toMatchObject({
      'service.name': 'plain',
      message: 'plain line',
      qty: 1,
    });
  });

  it('names the missing package and its install command when elasticsearch is configured', () => {
    writeFileSync(
      join(plain, 'missing.cjs'),
      "try { require('@jts/log').createLogger({ elasticsearch: { url: 'http://127.0.0.1:9' } }); console.log('no error'); } catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }\n",
    );
    const { code, message } = JSON.parse(run('node', ['missing.cjs'], plain));
    expect(code).toBe('JTS_ERR_MISSING_DEPENDENCY');
    expect(message).toContain('npm install @jts/log-elasticsearch');
  });

  it('type-checks a TypeScript consumer that configures shipping, without the optional peer installed', () => {
    writeFileSync(
      join(plain, 'plain.mts'),
      "import { createLogger, type LoggerOptions } from '@jts/log';\nconst options: LoggerOptions = { elasticsearch: { url: 'https://es:9200', spoolFullPolicy: 'block' } };\nexport const log = createLogger(options);\nexport const shipped: number | undefined = log.stats().elasticsearch?.shipped;\n",
    );
    writeFileSync(
      join(plain, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
        },
        files: ['plain.mts'],
      }),
    );
    const tsc = spawnSync('node', [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: plain,
      encoding: 'utf8',
    });
    expect(tsc.stdout).toBe('');
    expect(tsc.status).toBe(0);
  });
});
