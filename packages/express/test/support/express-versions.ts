/**
 * Express 4 and Express 5, installed side by side under npm aliases (`express4`, `express5`), so
 * every test runs against both majors of the peer range.
 */
import { createRequire } from 'node:module';
import type express from 'express';

const require = createRequire(import.meta.url);

/** One installed major of Express. */
export interface ExpressVersion {
  readonly name: string;
  readonly major: 4 | 5;
  readonly express: typeof express;
}

/** Both majors, for `describe.each`. */
export const EXPRESS_VERSIONS: readonly ExpressVersion[] = [
  {
    name: `express ${(require('express4/package.json') as { version: string }).version}`,
    major: 4,
    express: require('express4') as typeof express,
  },
  {
    name: `express ${(require('express5/package.json') as { version: string }).version}`,
    major: 5,
    express: require('express5') as typeof express,
  },
];
