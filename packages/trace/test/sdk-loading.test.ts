import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/sdk-loading.mjs', import.meta.url));
const source = fileURLToPath(new URL('../src/index.ts', import.meta.url));

describe('OpenTelemetry SDK loading', () => {
  it('loads the SDK packages on the first enabled initTracing, never when tracing is off', () => {
    // A fresh process: this test process has loaded the SDK already. tsx runs the source; the
    // repository root's tsconfig maps @jts/core to its source.
    const out = spawnSync(process.execPath, ['--import', 'tsx', fixture, source], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(out.status, out.stderr).toBe(0);
    const { whenOff, whenOn } = JSON.parse(out.stdout.trim()) as { whenOff: number; whenOn: number };
    expect(whenOff).toBe(0);
    expect(whenOn).toBeGreaterThan(0);
  });
});
