// The release flow works: `changeset version` bumps versions from the pending changesets, and
// `pnpm -r publish --dry-run` packs every publishable package.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pnpmSpec = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('+')[0];
const publishable = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('release flow', () => {
  it('changeset config keeps independent versions and peer dependents in range', () => {
    const config = JSON.parse(readFileSync(join(root, '.changeset/config.json'), 'utf8'));
    expect(config.fixed).toEqual([]);
    expect(config.linked).toEqual([]);
    expect(config.___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH.onlyUpdatePeerDependentsWhenOutOfRange).toBe(true);
  });

  it('changeset version bumps the packages named by pending changesets (in a copy of the workspace)', () => {
    const copy = mkdtempSync(join(tmpdir(), 'jts-release-'));
    scratch.push(copy);
    for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, file), join(copy, file));
    cpSync(join(root, '.changeset'), join(copy, '.changeset'), { recursive: true });
    for (const { dir } of publishable) {
      mkdirSync(join(copy, 'packages', dir), { recursive: true });
      cpSync(join(root, 'packages', dir, 'package.json'), join(copy, 'packages', dir, 'package.json'));
    }
    execFileSync('git', ['init', '-q'], { cwd: copy });
    execFileSync(join(root, 'node_modules/.bin/changeset'), ['version'], { cwd: copy, encoding: 'utf8' });
    const pending = readdirSync(join(root, '.changeset')).filter(
      (file) => file.endsWith('.md') && file !== 'README.md',
    );
    expect(pending.length).toBeGreaterThan(0);
    for (const { dir, pkg } of publishable) {
      const bumped = JSON.parse(readFileSync(join(copy, 'packages', dir, 'package.json'), 'utf8'));
      expect(bumped.version, pkg.name).not.toBe(pkg.version);
      expect(readFileSync(join(copy, 'packages', dir, 'CHANGELOG.md'), 'utf8')).toContain(bumped.version);
    }
    expect(
      readdirSync(join(copy, '.changeset')).filter((file) => file.endsWith('.md') && file !== 'README.md'),
    ).toEqual([]);
  }, 120_000);

  it('pnpm -r publish --dry-run packs every publishable package', () => {
    const output = execFileSync('npx', ['-y', pnpmSpec, '-r', 'publish', '--dry-run', '--no-git-checks'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    for (const { pkg } of publishable) expect(output).toContain(`${pkg.name}@${pkg.version}`);
  }, 300_000);
});
