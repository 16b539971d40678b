// Every option of a package is in the option table of its README (a package installed from npm
// carries its README, not docs/), and every row names a real option: the property names of the
// exported option types, read with the TypeScript compiler, against the first column of the tables.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** Which exported type each option table of a README documents (tables in README order); `nested` options are listed as `parent.child`. */
const TABLES: readonly {
  pkg: string;
  tables: readonly { type: string; nested?: readonly string[]; besides?: string }[];
}[] = [
  { pkg: 'log', tables: [{ type: 'LoggerOptions' }] },
  {
    pkg: 'log-elasticsearch',
    tables: [
      { type: 'ElasticsearchShippingOptions' },
      { type: 'ElasticsearchDestinationOptions', besides: 'ElasticsearchShippingOptions' },
    ],
  },
  { pkg: 'metrics', tables: [{ type: 'TradingMetricsOptions' }, { type: 'MetricsHandlerOptions' }] },
  { pkg: 'trace', tables: [{ type: 'TracingOptions', nested: ['otlp', 'batch'] }] },
  { pkg: 'compliance', tables: [{ type: 'AuditTrailOptions' }] },
  { pkg: 'http', tables: [{ type: 'HttpInstrumentationOptions' }] },
  { pkg: 'express', tables: [{ type: 'ExpressMiddlewareOptions' }] },
  { pkg: 'nestjs', tables: [{ type: 'JtsModuleOptions' }] },
];

const program = ts.createProgram(
  TABLES.map(({ pkg }) => join(root, 'packages', pkg, 'src/index.ts')),
  {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(root, 'node_modules/@types')],
    baseUrl: root,
    paths: { '@jts/core/internal': ['packages/core/src/internal-entry.ts'], '@jts/*': ['packages/*/src/index.ts'] },
  },
);
const checker = program.getTypeChecker();

/** The option names of an exported type: its properties, `parent.child` for the nested ones. */
function optionNames(pkg: string, typeName: string, nested: readonly string[] = []): string[] {
  const module = checker.getSymbolAtLocation(program.getSourceFile(join(root, 'packages', pkg, 'src/index.ts'))!)!;
  const exported = checker.getExportsOfModule(module).find((symbol) => symbol.name === typeName);
  if (!exported) throw new Error(`@jts/${pkg} exports no ${typeName}`);
  const type = checker.getDeclaredTypeOfSymbol(
    exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported,
  );
  return checker.getPropertiesOfType(type).flatMap((property) => {
    if (!nested.includes(property.name)) return [property.name];
    const inner = checker.getNonNullableType(checker.getTypeOfSymbol(property));
    return checker.getPropertiesOfType(inner).map((child) => `${property.name}.${child.name}`);
  });
}

/** The option names in the first column of each option table of a README (`a` / `b`, `batch.x` / `y` forms included). */
function readmeTables(pkg: string): string[][] {
  const lines = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8').split('\n');
  const tables: string[][] = [];
  for (let index = 0; index < lines.length; index++) {
    if (!/^\| *option\b/i.test(lines[index]!)) continue;
    const names: string[] = [];
    for (index += 2; index < lines.length && lines[index]!.startsWith('|'); index++) {
      const cell = lines[index]!.split(' | ')[0]!.replace(/^\| */, '');
      const lead = /^(?:\s*`[^`]+`\s*[/,]?)+/.exec(cell)?.[0] ?? '';
      let prefix = '';
      // `onEvent(event)` names the option onEvent.
      for (const [, token] of lead.matchAll(/`([A-Za-z_][\w.]*)[^`]*`/g)) {
        if (token!.includes('.')) prefix = token!.slice(0, token!.lastIndexOf('.') + 1);
        names.push(token!.includes('.') ? token! : `${prefix}${token}`);
      }
    }
    tables.push(names);
  }
  return tables;
}

describe('option tables of the package READMEs', () => {
  it.each(TABLES)('@jts/$pkg: every option, and only options', ({ pkg, tables }) => {
    const documented = readmeTables(pkg);
    expect(documented.length, `option tables in packages/${pkg}/README.md`).toBe(tables.length);
    tables.forEach(({ type, nested, besides }, index) => {
      // A second table may list only what a type adds to one documented above it.
      const inherited = new Set(besides === undefined ? [] : optionNames(pkg, besides));
      const expected = optionNames(pkg, type, nested).filter((name) => !inherited.has(name));
      const found = [...new Set(documented[index])];
      const where = `${type} in table ${index + 1} of packages/${pkg}/README.md`;
      expect(
        expected.filter((name) => !found.includes(name)),
        `${where}: missing`,
      ).toEqual([]);
      expect(
        found.filter((name) => !expected.includes(name)),
        `${where}: not options`,
      ).toEqual([]);
    });
  });

  it('reads names the way the tables write them', () => {
    expect(optionNames('trace', 'TracingOptions', ['batch'])).toContain('batch.scheduledDelayMs');
    const trace = readmeTables('trace')[0]!;
    expect(trace).toEqual(expect.arrayContaining(['serviceVersion', 'otlp.maxSockets', 'batch.exportTimeoutMs']));
    expect(trace).not.toContain('otlp');
  });
});
