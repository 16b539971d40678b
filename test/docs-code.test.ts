// Every code block marked as runnable (```ts check) in README.md, docs/** and the package and
// example READMEs is type-checked against the packages' sources, as a module of its own: an
// example a reader copies compiles with the API as it is today.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { codeBlocksOf, documentationFiles, parseMarkdown } from './support/markdown.js';

const root = join(import.meta.dirname, '..');
const scratch = join(root, '.tmp', 'docs-check');
/** The marker of a runnable block: ```ts check (or ```typescript check). */
const isRunnable = (block: { lang: string; meta: string }) =>
  /^(ts|typescript)$/.test(block.lang) && /(^|\s)check(\s|$)/.test(block.meta);

const blocks = documentationFiles(root).flatMap((file) =>
  codeBlocksOf(parseMarkdown(join(root, file)))
    .filter(isRunnable)
    .map((block) => ({ file, line: block.line, value: block.value })),
);

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  types: ['node'],
  typeRoots: [join(root, 'node_modules/@types')],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  baseUrl: root,
  // Our packages from source (as the tests use them); frameworks from where the workspace has them
  // (NestJS 11 from the @jts/nestjs test fixture, zod from the order-service example).
  paths: {
    '@jts/core/internal': ['packages/core/src/internal-entry.ts'],
    '@jts/*': ['packages/*/src/index.ts'],
    '*': [
      'node_modules/@types/*',
      'node_modules/*',
      'packages/nestjs/fixtures/nest11/node_modules/*',
      'examples/order-service/node_modules/*',
      'examples/strategy-engine/node_modules/*',
    ],
  },
};

/** Type-checks blocks; returns the diagnostics as `file:line message`, lines counted in the Markdown file. */
function check(items: readonly { file: string; line: number; value: string }[]): string[] {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const sources = items.map((item, index) => {
    const path = join(scratch, `block-${index}.ts`);
    writeFileSync(path, `${item.value}\nexport {};\n`);
    return { path, item };
  });
  const program = ts.createProgram(
    sources.map((source) => source.path),
    options,
  );
  return sources.flatMap(({ path, item }) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(path)).map((diagnostic) => {
      const line =
        diagnostic.file && diagnostic.start !== undefined
          ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
          : 0;
      return `${item.file}:${item.line + 1 + line} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    }),
  );
}

describe('runnable code blocks (```ts check)', () => {
  it('exist in the getting-started guide, for Express, NestJS and node:http', () => {
    const guide = blocks.filter((block) => block.file === 'docs/getting-started.md').map((block) => block.value);
    expect(guide.some((code) => code.includes("from '@jts/express'"))).toBe(true);
    expect(guide.some((code) => code.includes("from '@jts/nestjs'"))).toBe(true);
    expect(guide.some((code) => code.includes("from '@jts/http'"))).toBe(true);
  });

  it('type-check against the packages', () => {
    expect(check(blocks)).toEqual([]);
  }, 120_000);

  it('reports a block that uses the API wrongly, at its line in the Markdown file', () => {
    const problems = check([
      {
        file: 'docs/example.md',
        line: 10,
        value: "import { createLogger } from '@jts/log';\n\ncreateLogger({ levle: 'info' });",
      },
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^docs\/example\.md:13 .*'levle'/);
  });
});
