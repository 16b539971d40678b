import { defineConfig } from 'tsup';

// One ESM bundle of this service's own code; @jts/* and other dependencies stay external.
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
});
