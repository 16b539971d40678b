// The root README: its first screen says how to run the demo and the tests and where to start
// reading, it lists every published package, and the commands it names exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;

describe('README.md', () => {
  it('says npm run demo and npm test, and links getting started, on its first screen', () => {
    const firstScreen = readme.split('\n').slice(0, 20).join('\n');
    expect(firstScreen).toContain('npm run demo');
    expect(firstScreen).toContain('npm test');
    expect(firstScreen).toContain('(docs/getting-started.md)');
  });

  it('lists every published package', () => {
    const published = readdirSync(join(root, 'packages'))
      .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
      .map(
        (dir) =>
          JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as {
            name: string;
            private?: boolean;
          },
      )
      .filter((pkg) => !pkg.private);
    expect(published.length).toBeGreaterThanOrEqual(9);
    for (const { name } of published)
      expect(readme).toContain(`| [\`${name}\`](packages/${name.replace('@jts/', '')}) |`);
  });

  it('names only scripts and test projects that exist', () => {
    const named = [...readme.matchAll(/(?:npm run|pnpm@[\d.]+) ([a-z][\w:-]*)/g)]
      .map((match) => match[1]!)
      .filter((name) => !['exec', 'run'].includes(name));
    expect(named.length).toBeGreaterThan(2);
    for (const name of named) expect(Object.keys(scripts).concat(['changeset', 'bench']), name).toContain(name);
    for (const [, kind, name] of readme.matchAll(/--project (unit|integration):([a-z-]+)/g))
      expect(existsSync(join(root, 'packages', name!, 'test')), `${kind}:${name}`).toBe(true);
    for (const file of ['scripts/sync-package-metadata.mjs', '.ci/run', 'examples/demo/README.md'])
      expect(existsSync(join(root, file)), file).toBe(true);
  });
});
