import { beforeAll, describe, expect, it } from 'vitest';
import { type ElasticsearchShippingOptions, createLogger } from '../../src/index.js';
import { ensureBuilt } from '../support/ensure-built.js';
import { useShippingFixture } from '../../../log-elasticsearch/test/support/shipping-fixture.js';
import { eventually } from '../../../log-elasticsearch/test/support/shipping-harness.js';

const STREAM = 'logs-jts.checkout-staging';

describe('createLogger({ elasticsearch }) through the worker-thread transport', () => {
  const fx = useShippingFixture();
  beforeAll(() => ensureBuilt());
  /** A logger shipping to the fixture's Elasticsearch (namespace `staging`), retrying fast. */
  const shippingLogger = (elasticsearch: ElasticsearchShippingOptions) =>
    createLogger({
      serviceName: 'checkout',
      destination: { file: '/dev/null' },
      operations: false,
      elasticsearch: {
        url: fx.es.url,
        namespace: 'staging',
        spoolDir: fx.spool.root,
        retryBaseDelayMs: 20,
        retryMaxDelayMs: 100,
        ...elasticsearch,
      },
    });

  it('ships ECS lines to logs-jts.<service>-<namespace>, errors also to jts-errors, with synchronous stats', async () => {
    const logger = createLogger({
      serviceName: 'checkout',
      destination: { file: '/dev/null' },
      operations: false,
      elasticsearch: { url: fx.es.url, namespace: 'staging', spoolDir: fx.spool.root, flushIntervalMs: 50 },
    });
    for (let seq = 0; seq < 20; seq++) logger.info({ seq }, 'order accepted');
    logger.error({ seq: 20, err: new Error('broker down') }, 'order failed');
    await eventually(() => logger.stats().elasticsearch?.shipped === 21, 10_000, 'shipped lines');
    expect(fx.es.documents(STREAM)).toHaveLength(21);
    const stats = logger.stats().elasticsearch!;
    expect(stats).toMatchObject({ received: 21, shipped: 21, dropped: 0, deadLettered: 0, spooledBytes: 0 });
    const failed = fx.es.documents(STREAM).find((document) => document.seq === 20)!;
    expect(failed['log.level']).toBe('error');
    expect(failed['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(failed['service.name'] ?? (failed.service as { name?: string })?.name).toBe('checkout');
    expect(fx.es.documents('jts-errors').map((document) => document.message)).toEqual(['order failed']);
    await logger.close();
  });

  it('forces spooled lines to disk once per spoolSyncIntervalMs while lines arrive, and not at all when idle or with 0', async () => {
    // Elasticsearch down, so the lines stay in the spool; the syncs are counted in the worker.
    await fx.es.down();
    const logger = shippingLogger({ spoolSyncIntervalMs: 20 });
    for (let seq = 0; seq < 50; seq++) logger.info({ seq }, 'spooled');
    await eventually(
      () => (logger.stats().elasticsearch?.spoolSyncs ?? 0) > 0 && logger.stats().elasticsearch?.received === 50,
      10_000,
      'a spool fdatasync',
    );
    // Lines that arrived after the counted sync get theirs at a later tick: wait until the count
    // holds still for 10 intervals, then it must keep holding still while nothing new is logged.
    const syncs = () => logger.stats().elasticsearch!.spoolSyncs;
    let settled = syncs();
    for (let still = 0; still < 5; ) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      still = syncs() === settled ? still + 1 : 0;
      settled = syncs();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(syncs()).toBe(settled);
    logger.info({ seq: 50 }, 'one more');
    await eventually(() => syncs() > settled, 10_000, 'a sync of the new line');
    await logger.close(200); // Elasticsearch is down: what is spooled stays spooled

    const unsynced = shippingLogger({ namespace: 'other', spoolSyncIntervalMs: 0 });
    for (let seq = 0; seq < 50; seq++) unsynced.info({ seq }, 'spooled');
    await eventually(() => unsynced.stats().elasticsearch?.received === 50, 10_000, 'lines received');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(unsynced.stats().elasticsearch!.spoolSyncs).toBe(0);
    await unsynced.close(200);
    await fx.es.up();
  });

  it('counts lines while Elasticsearch is down and ships them once it is back', async () => {
    await fx.es.down();
    const logger = shippingLogger({ flushIntervalMs: 20 });
    for (let seq = 0; seq < 100; seq++) logger.warn({ seq }, 'slow fill');
    await eventually(() => (logger.stats().elasticsearch?.failedRequests ?? 0) > 0, 10_000, 'a failed request');
    const during = logger.stats().elasticsearch!;
    expect(during.received).toBe(100);
    expect(during.shipped).toBe(0);
    expect(during.spooledBytes).toBeGreaterThan(100 * 50);
    expect(during.lastError).toMatch(/ECONNREFUSED/);
    await fx.es.up();
    await logger.flush(10_000);
    expect(fx.es.documents(STREAM)).toHaveLength(100);
    expect(logger.stats().elasticsearch).toMatchObject({ shipped: 100, spooledBytes: 0 });
    await logger.close();
  });
});
