// The benchmark suites of the repository: `packages/*/bench/*.bench.ts`,
// `examples/*/bench/*.bench.ts` and `bench/*.bench.ts`, sorted. Shared by run-benchmarks.mjs and
// count-instructions.mjs.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {string} root - the repository root
 * @returns {string[]} absolute paths of the suites
 */
export function benchFiles(root) {
  const files = [];
  for (const parent of ['packages', 'examples']) {
    const dir = join(root, parent);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const bench = join(dir, name, 'bench');
      if (!existsSync(bench)) continue;
      for (const file of readdirSync(bench)) if (file.endsWith('.bench.ts')) files.push(join(bench, file));
    }
  }
  for (const file of readdirSync(join(root, 'bench')))
    if (file.endsWith('.bench.ts')) files.push(join(root, 'bench', file));
  return files.sort();
}
