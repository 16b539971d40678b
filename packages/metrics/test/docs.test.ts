import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METRIC_CATALOG } from '../src/index.js';
import { renderCatalogMarkdown } from '../scripts/catalog-markdown.js';

const committed = fileURLToPath(new URL('../../../docs/reference/metrics.md', import.meta.url));

describe('docs/reference/metrics.md', () => {
  it('is up to date with the catalog (run: node --import tsx packages/metrics/scripts/generate-docs.ts)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(renderCatalogMarkdown());
  });

  it('documents every catalog metric', () => {
    const markdown = renderCatalogMarkdown();
    for (const entry of METRIC_CATALOG) expect(markdown).toContain(`| \`${entry.name}\` |`);
  });
});
