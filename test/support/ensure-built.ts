import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Tests that load a package's built files (pino loads worker transports by file path; fixture
 * processes import `dist/`) need them. Builds the package with tsup when one of `outputs` is
 * missing or older than `src/`; `npm test` builds first, so this normally does nothing.
 *
 * @param packageDir - the package directory, e.g. `packages/log-elasticsearch`
 * @param outputs - built files the test needs, relative to the package
 */
export function ensurePackageBuilt(packageDir: string, outputs: readonly string[]): void {
  const files = outputs.map((file) => join(packageDir, file));
  const built = files.every((file) => existsSync(file)) ? Math.min(...files.map((file) => statSync(file).mtimeMs)) : 0;
  if (built > newestSource(join(packageDir, 'src'))) return;
  execFileSync('npx', ['tsup'], { cwd: packageDir, stdio: 'pipe', timeout: 120_000 });
}
