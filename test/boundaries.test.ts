// The dependency-boundary check really rejects what DESIGN.md forbids (and accepts the workspace).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const script = join(root, 'scripts/check-boundaries.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'jts-boundaries-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function workspace(name: string, files: Record<string, string>) {
  const dir = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const manifest = (name: string, dependencies: Record<string, string> = {}) =>
  JSON.stringify({ name: `@jts/${name}`, dependencies });

describe('check-boundaries', () => {
  it('passes on this workspace', () => {
    expect(execFileSync('node', [script], { encoding: 'utf8' })).toContain('Dependency boundaries hold');
  });

  it('rejects log importing metrics, http importing log, and core depending on anything', () => {
    const dir = workspace('bad', {
      'packages/log/package.json': manifest('log', { '@jts/core': '1' }),
      'packages/log/src/index.ts': "import { createTradingMetrics } from '@jts/metrics';\n",
      'packages/http/package.json': manifest('http', { '@jts/log': '1' }),
      'packages/http/src/index.ts': "export * from '@jts/core';\n",
      'packages/core/package.json': manifest('core', { pino: '10' }),
      'packages/core/src/index.ts': "import pino from 'pino';\n",
    });
    const result = spawnSync('node', [script, dir], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('packages/log/src/index.ts imports @jts/metrics');
    expect(result.stderr).toContain('packages/http/package.json depends on @jts/log');
    expect(result.stderr).toContain('@jts/core must have zero runtime dependencies, found pino');
    expect(result.stderr).toContain('@jts/core imports pino');
  });

  it('keeps the Elasticsearch shipper apart: an optional peer of log, importing only core', () => {
    const dir = workspace('shipper', {
      'packages/log/package.json': JSON.stringify({
        name: '@jts/log',
        dependencies: { '@jts/core': '1', '@jts/log-elasticsearch': '1' },
      }),
      'packages/log/src/index.ts': "import type { ShippingStats } from '@jts/log-elasticsearch';\n",
      'packages/log-elasticsearch/package.json': manifest('log-elasticsearch', { '@jts/core': '1' }),
      'packages/log-elasticsearch/src/index.ts': "import { createLogger } from '@jts/log';\n",
    });
    const result = spawnSync('node', [script, dir], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'packages/log/package.json has @jts/log-elasticsearch in dependencies: it must be an optional peer dependency',
    );
    expect(result.stderr).toContain('packages/log-elasticsearch/src/index.ts imports @jts/log');
    expect(result.stderr).not.toContain('packages/log/src/index.ts imports');
    const good = workspace('shipper-good', {
      'packages/log/package.json': JSON.stringify({
        name: '@jts/log',
        dependencies: { '@jts/core': '1' },
        peerDependencies: { '@jts/log-elasticsearch': '1' },
        peerDependenciesMeta: { '@jts/log-elasticsearch': { optional: true } },
      }),
      'packages/log-elasticsearch/package.json': manifest('log-elasticsearch', { '@jts/core': '1' }),
      'packages/log-elasticsearch/src/index.ts': "import { JtsError } from '@jts/core';\n",
    });
    expect(spawnSync('node', [script, good], { encoding: 'utf8' }).status).toBe(0);
  });

  it('accepts express on http and core', () => {
    const dir = workspace('good', {
      'packages/express/package.json': manifest('express', { '@jts/http': '1', '@jts/core': '1' }),
      'packages/express/src/index.ts': "import { x } from '@jts/http';\nimport { y } from '@jts/core';\n",
    });
    expect(spawnSync('node', [script, dir], { encoding: 'utf8' }).status).toBe(0);
  });

  it('keeps every example a template: own files, public entry points, declared dependencies, workspace ranges', () => {
    const core = JSON.stringify({ name: '@jts/core' });
    const dir = workspace('examples-bad', {
      'packages/core/package.json': core,
      'packages/log/package.json': JSON.stringify({
        name: '@jts/log',
        dependencies: { '@jts/core': '1', '@jts/example-shop': 'workspace:*' },
      }),
      'examples/shop/package.json': JSON.stringify({
        name: '@jts/example-shop',
        dependencies: { '@jts/core': 'workspace:*', '@jts/log': '^0.1.0', zod: '^4' },
      }),
      'examples/shop/src/main.ts': [
        "import { orderExecution } from '@jts/core';",
        "import { registerExitFlush } from '@jts/core/internal';",
        "import { startOtlpReceiver } from '../../../packages/trace/test/support/otlp-receiver.js';",
        "import express from 'express';",
        "import { z } from 'zod';",
        "import { readFileSync } from 'node:fs';",
        "import { join } from 'path';",
        "import './local.js';",
      ].join('\n'),
      'examples/shop/src/local.ts': 'export {};\n',
    });
    const result = spawnSync('node', [script, dir], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'packages/log/package.json depends on @jts/example-shop: nothing may depend on an example',
    );
    expect(result.stderr).toContain('examples/shop/package.json depends on @jts/core by "workspace:*"');
    expect(result.stderr).toContain('examples/shop/package.json depends on @jts/log by "^0.1.0"');
    expect(result.stderr).toContain(
      'examples/shop/src/main.ts imports @jts/core/internal: only the public entry point @jts/core',
    );
    expect(result.stderr).toContain(
      'examples/shop/src/main.ts imports ../../../packages/trace/test/support/otlp-receiver.js: outside examples/shop',
    );
    expect(result.stderr).toContain(
      'examples/shop/src/main.ts imports express, which examples/shop/package.json does not declare',
    );
    // Declared packages, built-ins (with and without node:) and the example's own files pass.
    expect(result.stderr).not.toMatch(/imports (zod|node:fs|path|\.\/local\.js)\b/);
    const good = workspace('examples-good', {
      'packages/core/package.json': core,
      'examples/shop/package.json': JSON.stringify({
        name: '@jts/example-shop',
        dependencies: { '@jts/core': 'workspace:^', zod: '^4' },
      }),
      'examples/shop/src/main.ts':
        "import { orderExecution } from '@jts/core';\nimport { z } from 'zod';\nimport './local.js';\n",
      'examples/shop/src/local.ts': 'export {};\n',
    });
    const passed = spawnSync('node', [script, good], { encoding: 'utf8' });
    expect(passed.status, passed.stderr).toBe(0);
  });
});
