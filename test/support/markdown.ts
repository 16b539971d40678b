import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import GithubSlugger from 'github-slugger';
import type { Code, Definition, Heading, Html, Image, Link, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString as textOf } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import { visit } from 'unist-util-visit';

// Markdown is read with the unified collective's parser (micromark + mdast, with the GFM
// extension for tables) and anchors are made with github-slugger, the algorithm GitHub itself
// uses: so a link is checked as GitHub renders it, not as a regular expression guesses it.

/** The project's repository on GitHub: links to `<this>/blob/main/<path>` are checked like relative ones. */
export const REPOSITORY_URL = 'https://github.com/jts-observability/jts-observability';

/** Parses a Markdown file. */
export function parseMarkdown(file: string): Root {
  return fromMarkdown(readFileSync(file, 'utf8'), { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** The anchors a file's headings (and explicit `<a id>` / `<a name>`) give, as GitHub makes them. */
export function anchorsOf(tree: Root): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  visit(tree, (node) => {
    if (node.type === 'heading') anchors.add(slugger.slug(textOf(node as Heading)));
    if (node.type === 'html')
      for (const match of (node as Html).value.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]!);
  });
  return anchors;
}

/** Every link, image and link definition of a file, with its line. */
export function linksOf(tree: Root): { url: string; line: number }[] {
  const links: { url: string; line: number }[] = [];
  visit(tree, (node) => {
    if (node.type === 'link' || node.type === 'image' || node.type === 'definition') {
      links.push({ url: (node as Link | Image | Definition).url, line: node.position?.start.line ?? 0 });
    }
  });
  return links;
}

/** Every fenced code block of a file: its language, meta (the words after the language) and text. */
export function codeBlocksOf(tree: Root): { lang: string; meta: string; value: string; line: number }[] {
  const blocks: { lang: string; meta: string; value: string; line: number }[] = [];
  visit(tree, 'code', (node: Code) => {
    blocks.push({
      lang: node.lang ?? '',
      meta: node.meta ?? '',
      value: node.value,
      line: node.position?.start.line ?? 0,
    });
  });
  return blocks;
}

/** Markdown files under `directory` (recursively), skipping node_modules and dist. */
export function markdownFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** The documentation the link and code checks cover: README.md, docs/, package and example READMEs. */
export function documentationFiles(root: string): string[] {
  const readmes = (parent: string) =>
    existsSync(join(root, parent))
      ? readdirSync(join(root, parent))
          .map((name) => join(root, parent, name, 'README.md'))
          .filter((file) => existsSync(file))
      : [];
  return [
    join(root, 'README.md'),
    ...markdownFiles(join(root, 'docs')),
    ...readmes('packages'),
    ...readmes('examples'),
  ].map((file) => relative(root, file));
}
