import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createElasticsearchDestination } from '../../src/index.js';
import { ensureBuilt } from '../support/ensure-built.js';
import { tempSpoolRoot } from '../support/shipping-harness.js';

const url = process.env.JTS_ES_URL;

// Runs against a real cluster when JTS_ES_URL is set (with JTS_ES_API_KEY or JTS_ES_USERNAME /
// JTS_ES_PASSWORD when security is on); otherwise every other test uses the loopback stand-in.
describe.skipIf(!url)(
  `real Elasticsearch at JTS_ES_URL${url ? '' : ' (skipped: set JTS_ES_URL=http(s)://host:9200 to run)'}`,
  () => {
    it('ships lines to the data stream and error lines to jts-errors, each exactly once', async () => {
      ensureBuilt();
      const spool = tempSpoolRoot();
      const runId = randomBytes(6).toString('hex');
      const namespace = `it${runId}`;
      const stream = `logs-jts.jts_log_integration-${namespace}`;
      const auth = process.env.JTS_ES_API_KEY
        ? { apiKey: process.env.JTS_ES_API_KEY }
        : process.env.JTS_ES_USERNAME
          ? { username: process.env.JTS_ES_USERNAME, password: process.env.JTS_ES_PASSWORD ?? '' }
          : undefined;
      const client = new Client({
        node: url!,
        ...(auth && { auth }),
        tls: { rejectUnauthorized: process.env.JTS_ES_TLS_VERIFY !== 'false' },
      });
      try {
        const shipping = createElasticsearchDestination({
          service: { name: 'jts-log-integration', version: undefined, environment: 'test' },
          namespace,
          spoolDir: spool.root,
          flushOnExit: false,
        });
        const logger = pino(
          { messageKey: 'message', timestamp: pino.stdTimeFunctions.isoTime },
          shipping.stream as pino.DestinationStream,
        );
        for (let seq = 0; seq < 20; seq++) logger.info({ seq, run_id: runId }, 'real cluster line');
        logger.error({ seq: 20, run_id: runId }, 'real cluster error');
        await shipping.flush(30_000);
        expect(shipping.stats()).toMatchObject({ received: 21, shipped: 21, deadLettered: 0 });
        await shipping.close();
        await client.indices.refresh({ index: [stream, 'jts-errors'] });
        const lines = await client.count({ index: stream, query: { match: { run_id: runId } } });
        const errors = await client.count({ index: 'jts-errors', query: { match: { run_id: runId } } });
        expect(lines.count).toBe(21);
        expect(errors.count).toBe(1);
      } finally {
        await client.indices.deleteDataStream({ name: stream }).catch(() => undefined);
        await client
          .deleteByQuery({ index: 'jts-errors', query: { match: { run_id: runId } }, refresh: true })
          .catch(() => undefined);
        await client.close();
        spool.cleanup();
      }
    });
  },
);
