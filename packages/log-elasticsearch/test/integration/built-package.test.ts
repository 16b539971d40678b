import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, PACKAGE_DIR } from '../support/ensure-built.js';
import { useShippingFixture } from '../support/shipping-fixture.js';

const run = promisify(execFile);

describe('the built package ships through its worker-thread transport', () => {
  const fx = useShippingFixture();
  beforeAll(() => ensureBuilt());

  it.each([
    ['ESM', 'ship-one-line.mjs', 'esm'],
    ['CommonJS', 'ship-one-line.cjs', 'cjs'],
  ])('%s: the worker file resolves from dist/ and the line reaches Elasticsearch', async (_name, fixture, format) => {
    const { stdout } = await run(process.execPath, [join(PACKAGE_DIR, 'test', 'fixtures', fixture)], {
      env: { ...process.env, JTS_ES_URL: fx.es.url, JTS_LOG_SPOOL_DIR: fx.spool.root },
      timeout: 30_000,
    });
    expect(JSON.parse(stdout.trim())).toMatchObject({ received: 1, shipped: 1, dropped: 0, deadLettered: 0 });
    const documents = fx.es.documents(`logs-jts.${format}_fixture-default`);
    expect(documents.map((document) => [document.format, document.msg])).toEqual([
      [format, `shipped from ${format === 'esm' ? 'ESM' : 'CJS'}`],
    ]);
  });
});
