import { redactionWork } from '@jts/core/internal';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinary } from '../../../../test/support/infra-binaries.js';
import { textWithSecret } from '../../../../test/support/planted-secrets.js';
import { createTradingMetrics, metricsHandler } from '../../src/index.js';
import { fetchRaw, listen } from '../support/http.js';
import { parseExposition } from '../support/parse-exposition.js';
import { promtoolCheckMetrics } from '../support/promtool.js';

const MAX_LABEL = 128;
const LOOKAHEAD = 1024;
const metrics = createTradingMetrics({
  defaultMetrics: false,
  operations: false,
  strict: false,
  maxLabelValueLength: MAX_LABEL,
});
let server: Awaited<ReturnType<typeof listen>>;
const promtool = findBinary('promtool');

beforeAll(async () => {
  server = await listen(metricsHandler({ registry: metrics.registry }));
});
afterAll(async () => {
  await server.close();
  metrics.close();
});

const labelValue = fc.oneof(
  { weight: 4, arbitrary: textWithSecret },
  // A value far past the label limit, its secret at the start: cut before it is redacted.
  {
    weight: 1,
    arbitrary: textWithSecret.map((text) => ({
      value: `${text.value}${'v'.repeat(1 << 18)}`,
      forbidden: text.forbidden,
    })),
  },
);

describe('no planted secret reaches the /metrics exposition (property)', () => {
  it('label values with card numbers, IBANs, JWTs, credentials and URL passwords: every scrape parses, nothing planted appears, the work is bounded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(labelValue, { minLength: 1, maxLength: 4 }), async (values) => {
        const before = redactionWork();
        for (const [index, value] of values.entries()) {
          metrics.recordOrderExecution(
            { strategyId: `s-${index}`, symbol: value.value, exchange: 'XNAS', side: 'buy', orderType: 'limit' },
            0.002,
          );
          metrics.setStrategyPnl({ strategyId: value.value }, 12.5);
          metrics.recordMarketDataUpdate({ symbol: 'AAPL', exchange: value.value }, 0.001);
        }
        const after = redactionWork();
        const scrape = await fetchRaw(`${server.url}/metrics`);
        expect(scrape.status).toBe(200);
        for (const secret of values.flatMap((value) => value.forbidden)) expect(scrape.body).not.toContain(secret);
        const samples = parseExposition(scrape.body).samples;
        expect(samples.some((sample) => sample.name === 'strategy_pnl')).toBe(true);
        for (const sample of samples)
          for (const label of Object.values(sample.labels)) expect(label.length).toBeLessThanOrEqual(MAX_LABEL);
        // The 8 label values of each round (and the self-metrics' labels) are sanitised when their
        // series is new, each bounded before it is scanned: 256 KiB cost what 128 + 1024
        // characters cost.
        const strings = after.strings - before.strings;
        expect(strings).toBeLessThanOrEqual(32 * values.length + 64);
        expect(after.reads - before.reads).toBeLessThanOrEqual(30 * (MAX_LABEL + LOOKAHEAD) * strings);
      }),
      // No shrinking: every step would keep megabyte label values alive in the series aliases.
      { numRuns: 20, endOnFailure: true },
    );
    // promtool, when installed, parses the final exposition (every series of every run) as Prometheus would.
    const final = await fetchRaw(`${server.url}/metrics`);
    expect(parseExposition(final.body).samples.length).toBeGreaterThan(30);
    if (promtool !== undefined) expect(promtoolCheckMetrics(promtool, final.body)).toEqual({ status: 0, output: '' });
  });
});
