import { isJtsError, onDiagnostic } from '@jts/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createTradingMetrics, type TradingMetrics } from '../src/index.js';
import { binaryOrSkip } from '../../../test/support/infra-binaries.js';
import { parseExposition, sampleKey as key, sampleMap } from './support/parse-exposition.js';
import { promtoolCheckMetrics } from './support/promtool.js';

let metrics: TradingMetrics | undefined;
afterEach(() => metrics?.close());
const create = (strict: boolean, options: Parameters<typeof createTradingMetrics>[0] = {}) =>
  (metrics = createTradingMetrics({ defaultMetrics: false, operations: false, strict, ...options }));
const ORDER = { strategyId: 's', symbol: 'AAPL', exchange: 'X', side: 'buy', orderType: 'limit' };

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('bad input in strict (development) mode', () => {
  it('throws JTS_ERR_INVALID_OBSERVATION with a message that says what to fix', () => {
    const target = create(true);
    const cases: [() => void, RegExp][] = [
      [
        () => target.recordOrderExecution(ORDER, Number.NaN),
        /order_execution_duration_seconds: the value is not a number/,
      ],
      [() => target.recordOrderExecution(ORDER, -1), /cannot be negative/],
      [() => target.recordApiRequest({ method: 'GET', route: '/', statusCode: 200 }, Infinity), /infinite/],
      [() => target.series('risk_violations_total', { strategyId: 's' }).inc(-2), /counter can only go up/],
      [() => target.recordOrderExecution({ ...ORDER, orderId: 'o-1' } as never, 0.1), /label key "orderId"/],
      [() => target.setStrategyPnl({ strategyId: { nested: true } as never }, 1), /must be a string, finite number/],
      [() => target.setStrategyPnl({ strategyId: 'x'.repeat(500) }, 1), /longer than maxLabelValueLength/],
    ];
    for (const [call, message] of cases) {
      const error = thrown(call);
      expect(isJtsError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('JTS_ERR_INVALID_OBSERVATION');
      expect((error as Error).message).toMatch(message);
    }
  });

  it('never echoes a label value in the error message', () => {
    const target = create(true);
    const error = thrown(() => target.setStrategyPnl({ strategyId: `secret-${'y'.repeat(300)}` }, 1)) as Error;
    expect(error.message).not.toContain('secret-');
  });
});

describe('bad input in production mode', () => {
  it('counts instead of throwing, reports a diagnostic, and records nothing bad', async () => {
    const target = create(false);
    const events: string[] = [];
    const stop = onDiagnostic((diagnostic) => events.push(`${diagnostic.source}:${diagnostic.event}`));
    try {
      target.recordOrderExecution(ORDER, Number.NaN);
      target.recordOrderExecution(ORDER, -0.5);
      target.recordOrderExecution(ORDER, Infinity);
      target.series('risk_violations_total', { strategyId: 's' }).inc(-1);
      target.setStrategyPnl({ strategyId: 's' }, Number.NaN);
      target.setStrategyPnl({ strategyId: 's' }, '5' as never);
      target.recordApiRequest({ method: 'GET', route: '/', statusCode: 200 }, '0.1' as never);
      target.setStrategyPnl({ strategyId: Symbol('x') as never }, 3);
      target.recordOrderExecution({ ...ORDER, userId: 'u1' } as never, 0.2);
    } finally {
      stop();
    }
    const samples = sampleMap(await target.metrics());
    const invalid = (metric: string, reason: string) =>
      samples.get(key('jts_metrics_invalid_observations_total', { metric, reason }));
    expect(invalid('order_execution_duration_seconds', 'not_a_number')).toBe(1);
    expect(invalid('order_execution_duration_seconds', 'negative')).toBe(1);
    expect(invalid('order_execution_duration_seconds', 'infinite')).toBe(1);
    expect(invalid('risk_violations_total', 'counter_decrement')).toBe(1);
    expect(invalid('strategy_pnl', 'not_a_number')).toBe(2);
    expect(invalid('api_request_duration_seconds', 'not_a_number')).toBe(1);
    expect(invalid('strategy_pnl', 'invalid_label_type')).toBe(1);
    // Unknown keys are only checked in strict mode (the hot path stays lean); the valid labels still count.
    expect(
      samples.get(
        key('order_execution_duration_seconds_count', {
          strategy_id: 's',
          symbol: 'AAPL',
          exchange: 'X',
          side: 'buy',
          order_type: 'limit',
        }),
      ),
    ).toBe(1);
    expect(samples.get(key('strategy_pnl', { strategy_id: '__invalid__' }))).toBe(3);
    expect(samples.get(key('risk_violations_total', { strategy_id: 's', violation_type: '' }))).toBe(0);
    expect(events.filter((event) => event === 'metrics:invalid_observation')).toHaveLength(8);
  });

  it('keeps the exposition valid for hostile label values (fuzz, checked by promtool)', async (context) => {
    const promtool = binaryOrSkip('promtool', context);
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 64 }),
      fc.constantFrom(
        '"',
        '\\',
        '\n',
        '\\n',
        '"}',
        '\r\n',
        '\u0000',
        '\u001b[31m',
        '\u0085',
        '\u009f',
        '\ud800',
        '\udfff',
        '} 1\nfake_metric 2',
      ),
      fc
        .array(fc.integer({ min: 0, max: 0x9f }), { minLength: 1, maxLength: 40 })
        .map((codes) => String.fromCharCode(...codes)),
      fc.constant('\\"\n'.repeat((64 * 1024) / 3)),
      fc.string({ minLength: 64 * 1024, maxLength: 64 * 1024 + 8 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(hostile, hostile), { minLength: 1, maxLength: 8 }), async (pairs) => {
        const target = createTradingMetrics({
          defaultMetrics: false,
          operations: false,
          strict: false,
          maxLabelValueLength: 4096,
        });
        try {
          for (const [symbol, exchange] of pairs) {
            target.recordMarketDataUpdate({ symbol, exchange }, 0.001);
            target.recordOrderExecution({ ...ORDER, symbol, strategyId: exchange }, 0.002);
          }
          for (const openMetrics of [false, true]) {
            const text = await target.metrics({ openMetrics });
            expect(parseExposition(text).samples.some((sample) => sample.name === 'fake_metric')).toBe(false);
            if (!openMetrics) {
              const result = promtoolCheckMetrics(promtool, text);
              expect(result.output).toBe('');
              expect(result.status).toBe(0);
            }
          }
        } finally {
          target.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
