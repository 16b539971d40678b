// Every relative link and #anchor in README.md, docs/** and the package and example READMEs points
// at a file that exists and a heading it has. Links to this repository on GitHub
// (`${REPOSITORY_URL}/blob/main/...`) are checked the same way: package READMEs must use them
// (or link inside their own published files), since `../../docs` is in no npm tarball.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorsOf, documentationFiles, linksOf, parseMarkdown, REPOSITORY_URL } from './support/markdown.js';

const root = join(import.meta.dirname, '..');
const files = documentationFiles(root);
const anchorCache = new Map<string, Set<string>>();
const anchorsIn = (file: string) => {
  if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(parseMarkdown(file)));
  return anchorCache.get(file)!;
};
const repositoryPath = new RegExp(`^${REPOSITORY_URL.replaceAll('.', '\\.')}/(?:blob|tree)/main/([^#?]*)(#.*)?$`);

/** What is wrong with one link of `file`, or undefined when it holds. */
function problemOf(file: string, url: string): string | undefined {
  let target: string;
  let anchor: string | undefined;
  const onGithub = repositoryPath.exec(url);
  if (onGithub) {
    target = join(root, decodeURIComponent(onGithub[1]!));
    anchor = onGithub[2]?.slice(1);
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    return undefined; // other sites and mail addresses: not checked offline
  } else {
    const [path, hash] = url.split('#') as [string, string | undefined];
    target = path === '' ? join(root, file) : resolve(dirname(join(root, file)), decodeURIComponent(path));
    anchor = hash;
    const packageDir = /^packages\/([^/]+)\/README\.md$/.exec(file);
    if (packageDir && path !== '') {
      const home = join(root, 'packages', packageDir[1]!);
      const published: string[] = JSON.parse(readFileSync(join(home, 'package.json'), 'utf8')).files ?? [];
      const inside = relative(home, target);
      if (
        inside.startsWith('..') ||
        !published.some((entry) => inside === entry || inside.startsWith(`${entry}${sep}`))
      ) {
        return `${url} is not in the package's published files (${published.join(', ')}): link to ${REPOSITORY_URL}/blob/main/... instead`;
      }
    }
  }
  if (!existsSync(target)) return `${url}: ${relative(root, target)} does not exist`;
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(target).isDirectory() || !target.endsWith('.md'))
    return `${url}: an anchor into a file that is not Markdown`;
  return anchorsIn(target).has(decodeURIComponent(anchor))
    ? undefined
    : `${url}: ${relative(root, target)} has no heading #${anchor}`;
}

describe('documentation links', () => {
  it('covers the root README, docs/ and every package and example README', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('docs/getting-started.md');
    expect(files).toContain('packages/core/README.md');
    expect(files).toContain('examples/order-service/README.md');
  });

  it.each(files)('%s: every relative link and anchor resolves', (file) => {
    const problems = linksOf(parseMarkdown(join(root, file)))
      .map(({ url, line }) => ({ line, problem: problemOf(file, url) }))
      .filter(({ problem }) => problem !== undefined)
      .map(({ line, problem }) => `${file}:${line} ${problem}`);
    expect(problems).toEqual([]);
  });

  it('the index (docs/README.md) links every page of docs/ and a README and a guide of every package', () => {
    const linked = new Set(
      linksOf(parseMarkdown(join(root, 'docs/README.md'))).map(({ url }) => resolve(root, 'docs', url.split('#')[0]!)),
    );
    const pages = files.filter((file) => file.startsWith('docs/') && file !== 'docs/README.md');
    expect(pages.filter((page) => !linked.has(join(root, page)))).toEqual([]);
    const index = readFileSync(join(root, 'docs/README.md'), 'utf8');
    for (const name of readdirSync(join(root, 'packages')).filter((dir) =>
      existsSync(join(root, 'packages', dir, 'package.json')),
    )) {
      const row = index.split('\n').find((line) => line.startsWith(`| \`@jts/${name}\` |`));
      expect(row, `@jts/${name} in the index`).toBeDefined();
      expect(row).toContain(`(../packages/${name}/README.md)`);
      expect(row).toMatch(/\]\((guides|reference)\/[a-z-]+\.md/);
    }
  });

  it('catches a missing file, a missing heading and a package README reaching outside its tarball', () => {
    expect(problemOf('docs/README.md', 'guides/nope.md')).toContain('does not exist');
    expect(problemOf('docs/README.md', 'guides/logging.md#no-such-heading')).toContain(
      'has no heading #no-such-heading',
    );
    expect(problemOf('packages/core/README.md', '../../docs/benchmarks.md')).toContain(
      "not in the package's published files",
    );
    expect(problemOf('packages/core/README.md', `${REPOSITORY_URL}/blob/main/docs/nothing.md`)).toContain(
      'does not exist',
    );
    expect(problemOf('docs/README.md', 'https://nodejs.org/api/diagnostics_channel.html')).toBeUndefined();
  });
});
