import { defineConfig } from 'tsup';

// One ESM bundle of this service's own code; dependencies stay external. Because tsconfig.json
// sets emitDecoratorMetadata, tsup compiles through @swc/core (a devDependency), which writes
// the `design:paramtypes` metadata NestJS reads to inject constructor parameters by type.
// (esbuild alone, as tsx uses, does not: run the built files, or give every parameter @Inject.)
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
});
