import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const dirsWithTests = (parent: string) =>
  existsSync(`${root}${parent}`)
    ? readdirSync(`${root}${parent}`).filter((name) => existsSync(`${root}${parent}/${name}/test`))
    : [];

// Tests import workspace packages from source, so a change in @jts/core is seen without a rebuild.
// The packaging checks and the consumer test exercise the built artefacts instead.
const alias = [
  { find: /^@jts\/core\/internal$/, replacement: `${root}packages/core/src/internal-entry.ts` },
  { find: /^@jts\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
];

const projectsAt = (directory: string, name: string) => [
  {
    extends: true as const,
    test: {
      name: `unit:${name}`,
      root: `${root}${directory}`,
      include: ['test/**/*.test.ts'],
      exclude: ['test/integration/**', '**/node_modules/**'],
    },
  },
  {
    extends: true as const,
    test: {
      name: `integration:${name}`,
      root: `${root}${directory}`,
      include: ['test/integration/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  },
];
const projectsFor = (parent: string) =>
  dirsWithTests(parent)
    .filter((name) => !(parent === 'packages' && name === 'nestjs'))
    .flatMap((name) => projectsAt(`${parent}/${name}`, name));

// @jts/nestjs runs its tests once per supported NestJS major: each project resolves @nestjs/* (and
// the packages Nest shares with the application) from that major's fixture workspace package.
const nestProjects = ['10', '11', '12'].map((major) => ({
  extends: true as const,
  resolve: {
    alias: [
      {
        find: /^(@nestjs\/[a-z.-]+|rxjs|reflect-metadata|kafkajs)(\/.*)?$/,
        replacement: `${root}packages/nestjs/fixtures/nest${major}/node_modules/$1$2`,
      },
    ],
  },
  test: {
    name: `unit:nestjs@${major}`,
    root: `${root}packages/nestjs`,
    // The files of one major share one module graph: NestJS is loaded once per major, not once per file.
    isolate: false,
    include: ['test/**/*.test.ts'],
    exclude: ['test/integration/**', '**/node_modules/**'],
  },
}));

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      ...projectsFor('packages'),
      ...(existsSync(`${root}packages/nestjs/test`) ? nestProjects : []),
      ...projectsFor('examples'),
      // The reference stack (infra/): config checks with promtool/amtool, live Prometheus tests.
      ...(existsSync(`${root}infra/test`) ? projectsAt('infra', 'infra') : []),
      {
        extends: true,
        test: {
          name: 'integration:workspace',
          root,
          include: ['test/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
