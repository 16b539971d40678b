import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePackageBuilt } from '../../../../test/support/ensure-built.js';

/** The package directory (packages/log-elasticsearch). */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Builds the package when its worker entries (ESM and CJS) are missing or stale. */
export function ensureBuilt(): void {
  ensurePackageBuilt(PACKAGE_DIR, [
    'dist/index.js',
    'dist/index.cjs',
    'dist/elasticsearch-transport.js',
    'dist/elasticsearch-transport.cjs',
  ]);
}
