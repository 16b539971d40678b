// The error-code pages list exactly the codes the sources emit: every `JTS_ERR_*` / `JTS_WARN_*`
// found in the code of packages/*/src (comments left out) has a row in a table of
// docs/reference/errors*.md, and every row names a code some source emits.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const CODE = /JTS_(?:ERR|WARN)_[A-Z0-9_]+/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory()
      ? sourceFiles(path)
      : /\.ts$/.test(name) && !name.endsWith('.d.ts')
        ? [path]
        : [];
  });
}

/** The codes in a file's string literals and template text: what it can emit (comments are not code). */
function codesIn(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node))
      found.push(...(node.text.match(CODE) ?? []));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

// `JtsErrorCodes` in core's errors.ts defines names; a code is emitted where code uses it.
const definitions = join(root, 'packages/core/src/errors.ts');
const emitted = new Map<string, string>();
for (const file of readdirSync(join(root, 'packages')).flatMap((name) =>
  sourceFiles(join(root, 'packages', name, 'src')),
)) {
  if (file === definitions) continue;
  for (const code of codesIn(file)) if (!emitted.has(code)) emitted.set(code, relative(root, file));
}
const pages = readdirSync(join(root, 'docs/reference')).filter((name) => /^errors.*\.md$/.test(name));
const listed = new Map<string, string>();
for (const page of pages) {
  for (const line of readFileSync(join(root, 'docs/reference', page), 'utf8').split('\n')) {
    const code = /^\| `(JTS_(?:ERR|WARN)_[A-Z0-9_]+)` \|/.exec(line)?.[1];
    if (code && !listed.has(code)) listed.set(code, page);
  }
}

describe('error codes in docs/reference/errors*.md', () => {
  it('finds the codes on both sides', () => {
    expect(pages).toContain('errors.md');
    expect(emitted.get('JTS_ERR_TRACING_ACTIVE')).toBe('packages/trace/src/init-tracing.ts');
    expect(listed.get('JTS_ERR_TRACING_ACTIVE')).toBe('errors-trace.md');
    // A code mentioned only in a comment is not emitted.
    expect(codesIn(join(root, 'packages/core/src/operations-option.ts'))).not.toContain('JTS_WARN_INVALID_ENV');
  });

  it('lists every code the sources emit', () => {
    expect(
      [...emitted].filter(([code]) => !listed.has(code)).map(([code, file]) => `${code} (emitted in ${file})`),
    ).toEqual([]);
  });

  it('lists no code that nothing emits', () => {
    expect(
      [...listed].filter(([code]) => !emitted.has(code)).map(([code, page]) => `${code} (listed in ${page})`),
    ).toEqual([]);
  });
});
