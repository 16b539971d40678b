import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePackageBuilt } from '../../../../test/support/ensure-built.js';

/** The package directory (packages/log). */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Builds what the shipping tests load by file: `@jts/log-elasticsearch` (required by the logger
 * through node_modules, its worker started by file path) and this package's `dist/` (imported by
 * the fixture processes).
 */
export function ensureBuilt(): void {
  ensurePackageBuilt(join(PACKAGE_DIR, '..', 'log-elasticsearch'), [
    'dist/index.js',
    'dist/index.cjs',
    'dist/elasticsearch-transport.js',
    'dist/elasticsearch-transport.cjs',
  ]);
  ensurePackageBuilt(PACKAGE_DIR, ['dist/index.js', 'dist/index.cjs']);
}
