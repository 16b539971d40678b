import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTradingMetrics,
  DEFAULT_MAX_SERIES_PER_METRIC,
  OVERFLOW_LABEL_VALUE,
  type TradingMetrics,
} from '../src/index.js';
import { parseExposition, sampleKey as key, sampleMap } from './support/parse-exposition.js';

let metrics: TradingMetrics | undefined;
afterEach(() => metrics?.close());
const create = (options: Parameters<typeof createTradingMetrics>[0] = {}) =>
  (metrics = createTradingMetrics({ defaultMetrics: false, operations: false, strict: false, ...options }));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

describe('cardinality guard', () => {
  it('documents a default cap of 2,000 series per metric', () => {
    expect(DEFAULT_MAX_SERIES_PER_METRIC).toBe(2000);
    expect(create().options.maxSeriesPerMetric).toBe(2000);
  });

  it('folds label sets beyond the cap into __overflow__ and says which metric overflowed', async () => {
    const target = create({ maxSeriesPerMetric: 3 });
    for (const symbol of ['A', 'B', 'C', 'D', 'E', 'A'])
      target.recordMarketDataUpdate({ symbol, exchange: 'X' }, 0.001);
    const samples = sampleMap(await target.metrics());
    expect(samples.get(key('market_data_updates_total', { symbol: 'A', exchange: 'X' }))).toBe(2);
    expect(samples.get(key('market_data_updates_total', { symbol: 'D', exchange: 'X' }))).toBeUndefined();
    expect(
      samples.get(key('market_data_updates_total', { symbol: OVERFLOW_LABEL_VALUE, exchange: OVERFLOW_LABEL_VALUE })),
    ).toBe(2);
    expect(
      samples.get(
        key('market_data_latency_seconds_count', { symbol: OVERFLOW_LABEL_VALUE, exchange: OVERFLOW_LABEL_VALUE }),
      ),
    ).toBe(2);
    expect(samples.get(key('jts_metrics_series_overflow_total', { metric: 'market_data_updates_total' }))).toBe(2);
    expect(samples.get(key('jts_metrics_series_overflow_total', { metric: 'market_data_latency_seconds' }))).toBe(2);
    expect(samples.get(key('jts_metrics_series', { metric: 'market_data_updates_total' }))).toBe(4);
  });

  it('redacts label values with the shared policy and caps their length', async () => {
    const target = create({ maxLabelValueLength: 32 });
    target.recordRiskViolation({ strategyId: 'card 4111 1111 1111 1111', violationType: 'x'.repeat(40) });
    target.recordRiskViolation({ strategyId: 'Bearer abc.def', violationType: 'ok' });
    const text = await target.metrics();
    expect(text).not.toContain('4111 1111');
    expect(text).not.toContain('abc.def');
    const violations = parseExposition(text).samples.filter((sample) => sample.name === 'risk_violations_total');
    expect(violations.map((sample) => sample.labels.strategy_id)).toEqual([
      'card ************1111',
      'Bearer [REDACTED]',
    ]);
    expect(violations[0]!.labels.violation_type).toBe('x'.repeat(32));
    expect(
      sampleMap(text).get(
        key('jts_metrics_invalid_observations_total', {
          metric: 'risk_violations_total',
          reason: 'label_value_too_long',
        }),
      ),
    ).toBe(1);
  });

  it('merges raw spellings that sanitise to the same label set into one series', async () => {
    const target = create();
    target.setDatabasePool({ pool: 7 }, { active: 1, max: 2 });
    target.setDatabasePool({ pool: '7' }, { active: 3, max: 4 });
    const pools = parseExposition(await target.metrics()).samples.filter(
      (sample) => sample.name === 'database_connection_pool_active',
    );
    expect(pools).toEqual([{ name: 'database_connection_pool_active', labels: { pool: '7' }, value: 3 }]);
  });

  it('keeps series count and heap flat under 100,000 distinct values in one label', async () => {
    const target = create();
    const push = (from: number, to: number) => {
      for (let index = from; index < to; index++)
        target.recordMarketDataUpdate({ symbol: `SYM-${index}`, exchange: 'X' }, 0.0002);
    };
    push(0, 10_000);
    await target.metrics();
    const atTenThousand = heapAfterGc();
    push(10_000, 50_000);
    const atFiftyThousand = heapAfterGc();
    push(50_000, 100_000);
    const atHundredThousand = heapAfterGc();
    const samples = sampleMap(await target.metrics());
    expect(samples.get(key('jts_metrics_series', { metric: 'market_data_updates_total' }))).toBe(2001);
    expect(
      samples.get(key('market_data_updates_total', { symbol: OVERFLOW_LABEL_VALUE, exchange: OVERFLOW_LABEL_VALUE })),
    ).toBe(98_000);
    expect(samples.get(key('jts_metrics_series_overflow_total', { metric: 'market_data_updates_total' }))).toBe(98_000);
    // The cap is reached at 2,000: the next 90,000 values must not grow the heap. Without the cap
    // they would hold 90,000 series (tens of MB); 2 MB covers GC and test-runner noise.
    expect(atHundredThousand - atFiftyThousand).toBeLessThan(2_000_000);
    expect(atFiftyThousand - atTenThousand).toBeLessThan(2_000_000);
  });

  it('bounds memory, not only series: 2,000 series of 64 KiB label values keep only their cut values', async () => {
    const target = create();
    // Flat, distinct 64 KiB strings, as a JSON parser or a socket would hand them over.
    const hostile = (index: number) => {
      const bytes = Buffer.alloc(64 * 1024, 0x61);
      bytes.write(`SYM-${index}-`);
      return bytes.toString('latin1');
    };
    const before = heapAfterGc();
    for (let index = 0; index < 2000; index++)
      target.recordMarketDataUpdate({ symbol: hostile(index), exchange: 'X' }, 0.0002);
    const retained = heapAfterGc() - before;
    // A long value is not cached, but it still resolves to its one series.
    target.recordMarketDataUpdate({ symbol: hostile(7), exchange: 'X' });
    const samples = parseExposition(await target.metrics()).samples.filter(
      (sample) => sample.name === 'market_data_updates_total',
    );
    expect(samples).toHaveLength(2000);
    expect(samples.find((sample) => sample.labels.symbol!.startsWith('SYM-7-'))!.value).toBe(2);
    expect(
      samples.every((sample) => sample.labels.symbol!.length === 128 && sample.labels.symbol!.startsWith('SYM-')),
    ).toBe(true);
    // 2,000 raw values are 125 MiB; two families of 2,000 series with 128-character values need a
    // few MiB. Keeping the raw values (as cache keys or as the parents of sliced strings) fails this.
    expect(retained).toBeLessThan(16 * 1024 * 1024);
  });
});
