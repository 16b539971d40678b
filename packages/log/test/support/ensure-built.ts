import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package directory (packages/log). */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * pino loads transports by file path, so tests that start the worker (and fixture processes
 * that import the built package) need `dist/`. Builds it with tsup when it is missing or older
 * than `src/`; `npm test` builds first, so this normally does nothing.
 */
export function ensureBuilt(): void {
  const outputs = ['dist/index.js', 'dist/elasticsearch-transport.js'].map((file) => join(PACKAGE_DIR, file));
  const built = outputs.every((file) => existsSync(file)) ? Math.min(...outputs.map((file) => statSync(file).mtimeMs)) : 0;
  if (built > newestSource(join(PACKAGE_DIR, 'src'))) return;
  execFileSync('npx', ['tsup'], { cwd: PACKAGE_DIR, stdio: 'pipe', timeout: 120_000 });
}
