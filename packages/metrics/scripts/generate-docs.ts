/**
 * Regenerates docs/reference/metrics.md from the metric catalog.
 * Run from the repository root: node --import tsx packages/metrics/scripts/generate-docs.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderCatalogMarkdown } from './catalog-markdown.js';

const target = fileURLToPath(new URL('../../../docs/reference/metrics.md', import.meta.url));
writeFileSync(target, renderCatalogMarkdown());
console.log(`wrote ${target}`);
