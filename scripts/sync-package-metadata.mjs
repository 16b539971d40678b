#!/usr/bin/env node
// The repository URL is set once, in the root package.json (`repository.url`). Every published
// package's `repository`, `homepage` and `bugs` are derived from it, so a user who installed a
// package from npm reaches its source, its README on GitHub and the issue tracker.
//   node scripts/sync-package-metadata.mjs           writes the derived fields
//   node scripts/sync-package-metadata.mjs --check   exits 1 naming every field that drifted
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const check = args.includes('--check');
const root = args.find((arg) => !arg.startsWith('--')) ?? new URL('..', import.meta.url).pathname;

/** The web address of the repository, from the root package.json's `repository.url`. */
export function repositoryWebUrl(rootManifest) {
  const url = typeof rootManifest.repository === 'string' ? rootManifest.repository : rootManifest.repository?.url;
  const match = /^(?:git\+)?(https:\/\/github\.com\/[\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(url ?? '');
  if (!match)
    throw new Error(
      `package.json: repository.url must be the project's GitHub URL (git+https://github.com/<owner>/<name>.git), found ${JSON.stringify(url)}`,
    );
  return match[1];
}

const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const web = repositoryWebUrl(rootManifest);
const problems = [];
for (const name of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', name, 'package.json');
  if (!existsSync(file)) continue;
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  if (manifest.private) continue;
  const expected = {
    repository: { type: 'git', url: `git+${web}.git`, directory: `packages/${name}` },
    homepage: `${web}/tree/main/packages/${name}#readme`,
    bugs: { url: `${web}/issues` },
  };
  const drifted = Object.keys(expected).filter(
    (key) => JSON.stringify(manifest[key]) !== JSON.stringify(expected[key]),
  );
  if (drifted.length === 0) continue;
  if (check) {
    for (const key of drifted)
      problems.push(
        `packages/${name}/package.json: ${key} is ${JSON.stringify(manifest[key])}, expected ${JSON.stringify(expected[key])}`,
      );
    continue;
  }
  // Keep the key order: the three fields go where `repository` was (or after `license`).
  const entries = Object.entries(manifest).filter(([key]) => !(key in expected));
  const anchor = Object.keys(manifest).includes('repository')
    ? Object.keys(manifest)
        .filter((key) => !(key in expected) || key === 'repository')
        .indexOf('repository')
    : entries.findIndex(([key]) => key === 'license') + 1;
  entries.splice(anchor, 0, ...Object.entries(expected));
  writeFileSync(file, `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`);
  console.log(`packages/${name}/package.json: ${drifted.join(', ')} updated`);
}
if (problems.length > 0) {
  console.error(
    `Package metadata drifted from the repository URL in package.json (run node scripts/sync-package-metadata.mjs):\n  ${problems.join('\n  ')}`,
  );
  process.exit(1);
}
if (check) console.log(`Package metadata derives from ${web}`);
