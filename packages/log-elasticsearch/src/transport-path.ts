import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JtsError } from '@jts/core';

/**
 * Finds the built worker entry that pino's thread-stream loads by file path: beside the bundle
 * in `dist/` (`elasticsearch-transport.js` next to the ESM `index.js`, `.cjs` next to the CJS
 * `index.cjs`; `@jts/log` loads the CJS build with `require`), or, when this module runs from
 * source (tests, tsx), in the package's `dist/`.
 *
 * @returns absolute path of the transport file
 * @throws JtsError `JTS_ERR_DESTINATION_UNAVAILABLE` when it has not been built
 */
export function resolveTransportPath(): string {
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  const directory = dirname(here);
  const extension = here.endsWith('.cjs') ? '.cjs' : '.js';
  const candidates = [
    join(directory, `elasticsearch-transport${extension}`),
    join(directory, '..', 'dist', 'elasticsearch-transport.js'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new JtsError(
      'JTS_ERR_DESTINATION_UNAVAILABLE',
      `The Elasticsearch shipper worker is not built (looked for ${candidates[0]}); build @jts/log-elasticsearch (tsup)`,
    );
  }
  return found;
}
