import { afterEach, beforeEach } from 'vitest';
import { type FakeElasticsearch, startFakeElasticsearch } from '../../../../test/support/fake-elasticsearch.js';
import { tempSpoolRoot } from './shipping-harness.js';

/** A fresh loopback Elasticsearch stand-in and spool directory for each test of the calling suite. */
export interface ShippingFixture {
  readonly es: FakeElasticsearch;
  readonly spool: ReturnType<typeof tempSpoolRoot>;
}

/**
 * Registers the per-test set-up and tear-down in the calling `describe`.
 *
 * @returns the fixture, whose fields are current inside each test
 */
export function useShippingFixture(): ShippingFixture {
  const fixture = {} as { es: FakeElasticsearch; spool: ReturnType<typeof tempSpoolRoot> };
  beforeEach(async () => {
    fixture.es = await startFakeElasticsearch();
    fixture.spool = tempSpoolRoot();
  });
  afterEach(async () => {
    await fixture.es.close();
    fixture.spool.cleanup();
  });
  return fixture;
}
