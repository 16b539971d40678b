// One repository URL (root package.json) is the source of every package's repository, homepage and
// bugs fields: the check fails when one drifts, and the script writes them back.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const script = join(root, 'scripts/sync-package-metadata.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'jts-metadata-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = (...args: string[]) => spawnSync('node', [script, ...args], { encoding: 'utf8' });

describe('package metadata', () => {
  it('derives from the one repository URL in this workspace', () => {
    const result = run('--check');
    expect(result.status, result.stderr).toBe(0);
    const web = 'https://github.com/jts-observability/jts-observability';
    const log = JSON.parse(readFileSync(join(root, 'packages/log/package.json'), 'utf8'));
    expect(log.repository).toEqual({ type: 'git', url: `git+${web}.git`, directory: 'packages/log' });
    expect(log.homepage).toBe(`${web}/tree/main/packages/log#readme`);
    expect(log.bugs).toEqual({ url: `${web}/issues` });
  });

  it('fails on drift, naming the field, and writes the derived fields back', () => {
    const copy = join(scratch, 'drift');
    mkdirSync(join(copy, 'packages/trace'), { recursive: true });
    mkdirSync(join(copy, 'packages/internal-only'), { recursive: true });
    writeFileSync(
      join(copy, 'package.json'),
      JSON.stringify({ name: 'x', repository: { type: 'git', url: 'git+https://github.com/acme/sdk.git' } }),
    );
    const trace = JSON.parse(readFileSync(join(root, 'packages/trace/package.json'), 'utf8'));
    writeFileSync(join(copy, 'packages/trace/package.json'), JSON.stringify(trace));
    writeFileSync(
      join(copy, 'packages/internal-only/package.json'),
      JSON.stringify({ name: 'internal', private: true }),
    );
    const checked = run('--check', copy);
    expect(checked.status).toBe(1);
    expect(checked.stderr).toContain('packages/trace/package.json: repository is');
    expect(checked.stderr).toContain('expected "https://github.com/acme/sdk/tree/main/packages/trace#readme"');
    expect(checked.stderr).not.toContain('internal-only');
    expect(run(copy).status).toBe(0);
    const written = JSON.parse(readFileSync(join(copy, 'packages/trace/package.json'), 'utf8'));
    expect(written.repository.url).toBe('git+https://github.com/acme/sdk.git');
    expect(written.bugs.url).toBe('https://github.com/acme/sdk/issues');
    expect(Object.keys(written).indexOf('homepage')).toBe(Object.keys(written).indexOf('repository') + 1);
    expect(run('--check', copy).status).toBe(0);
  });

  it('refuses a repository URL that is not a GitHub project', () => {
    const copy = join(scratch, 'bad-url');
    mkdirSync(join(copy, 'packages'), { recursive: true });
    writeFileSync(
      join(copy, 'package.json'),
      JSON.stringify({ name: 'x', repository: { url: 'git+https://example.invalid/jts/observability.git' } }),
    );
    const result = run('--check', copy);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("repository.url must be the project's GitHub URL");
  });
});
