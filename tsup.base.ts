import { defineConfig, type Options } from 'tsup';

/** The one build recipe of every publishable package: ESM + CJS, .d.ts + .d.cts, Node 20 syntax. */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...overrides,
  });
}
