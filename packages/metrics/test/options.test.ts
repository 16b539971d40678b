import { createRedactionPolicy, httpServerRequest, isJtsError, orderExecution, riskCheck } from '@jts/core';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTradingMetrics, type TradingMetrics, type TradingMetricsOptions } from '../src/index.js';
import { sampleKey as key, sampleMap } from './support/parse-exposition.js';

let metrics: TradingMetrics | undefined;
afterEach(async () => {
  await metrics?.close();
  metrics = undefined;
});
const create = (options: TradingMetricsOptions = {}) =>
  (metrics = createTradingMetrics({ defaultMetrics: false, env: {}, ...options }));
const ORDER = { strategyId: 'mm-1', symbol: 'AAPL', exchange: 'XNAS', side: 'buy', orderType: 'limit' };

function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

/** Collects the process warnings emitted while `fn` runs. */
async function warningsDuring(fn: () => void): Promise<{ code?: string; message: string }[]> {
  const seen: { code?: string; message: string }[] = [];
  const listener = (warning: Error & { code?: string }) => seen.push({ code: warning.code, message: warning.message });
  process.on('warning', listener);
  try {
    fn();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

describe('createTradingMetrics options', () => {
  it('is not strict unless asked: without NODE_ENV a NaN latency is counted, not thrown', async () => {
    const target = create();
    expect(target.options.strict).toBe(false);
    expect(() => target.recordOrderExecution(ORDER, Number.NaN)).not.toThrow();
    const samples = sampleMap(await target.metrics());
    expect(
      samples.get(
        key('jts_metrics_invalid_observations_total', {
          metric: 'order_execution_duration_seconds',
          reason: 'not_a_number',
        }),
      ),
    ).toBe(1);
  });

  it('is strict with strict: true or JTS_METRICS_STRICT, and env replaces process.env', async () => {
    const fromOption = create({ strict: true, operations: false });
    expect(thrown(() => fromOption.recordOrderExecution(ORDER, Number.NaN)).code).toBe('JTS_ERR_INVALID_OBSERVATION');
    await fromOption.close();
    const fromEnv = create({ env: { JTS_METRICS_STRICT: 'true', JTS_METRICS_MAX_SERIES: '17' }, operations: false });
    expect(fromEnv.options).toMatchObject({ strict: true, maxSeriesPerMetric: 17 });
    expect(thrown(() => fromEnv.recordOrderExecution(ORDER, -1)).code).toBe('JTS_ERR_INVALID_OBSERVATION');
  });

  it('rejects every bad option with a JtsError naming it and its variable, leaving nothing registered', () => {
    const registry = new Registry();
    const cases: [TradingMetricsOptions, RegExp][] = [
      [{ maxSeriesPerMetric: 0 }, /^Invalid option maxSeriesPerMetric: .*JTS_METRICS_MAX_SERIES/],
      [{ maxLabelValueLength: 1.5 }, /^Invalid option maxLabelValueLength: .*JTS_METRICS_MAX_LABEL_LENGTH/],
      [{ strict: 'yes' as never }, /^Invalid option strict: must be a boolean \(or set JTS_METRICS_STRICT\)/],
      [{ exemplars: 1 as never }, /^Invalid option exemplars: .*JTS_METRICS_EXEMPLARS/],
      [{ defaultMetrics: null as never }, /^Invalid option defaultMetrics: .*JTS_METRICS_DEFAULT_METRICS/],
      [{ defaultMetricsPrefix: 'bad prefix' }, /^Invalid option defaultMetricsPrefix: .*JTS_METRICS_DEFAULT_PREFIX/],
      [
        { operations: ['order.execution', 'order.executed' as never] },
        /^Invalid option operations: unknown operation "order.executed".*JTS_METRICS_OPERATIONS/,
      ],
      [{ operations: true as never }, /^Invalid option operations: must be an array .*JTS_METRICS_OPERATIONS/],
      [{ redaction: { keys: [] } as never }, /^Invalid option redaction: expected a RedactionPolicy/],
      [{ env: 'production' as never }, /^Invalid option env: /],
      [{ registry: {} as never }, /^Invalid option registry: expected a prom-client Registry/],
      [{ registry: null as never }, /^Invalid option registry: expected a prom-client Registry/],
      [{ subscribeOperations: false } as never, /^Invalid option subscribeOperations: renamed to operations/],
      [{ redactionPolicy: createRedactionPolicy() } as never, /^Invalid option redactionPolicy: renamed to redaction/],
    ];
    for (const [options, message] of cases) {
      const error = thrown(() => createTradingMetrics({ registry, ...options }));
      expect(isJtsError(error), String(message)).toBe(true);
      expect(error.code).toBe('JTS_ERR_INVALID_OPTION');
      expect(error.message).toMatch(message);
    }
    expect(thrown(() => createTradingMetrics(null as never)).message).toMatch(
      /^Invalid options: createTradingMetrics takes an options object/,
    );
    expect(registry.getMetricsAsArray()).toEqual([]);
    expect(orderExecution.hasSubscribers).toBe(false);
  });

  it('ignores an invalid environment value with a coded warning and uses the default', async () => {
    let target: TradingMetrics | undefined;
    const warnings = await warningsDuring(() => {
      target = create({
        env: { JTS_METRICS_OPERATIONS: 'order.execution,not.an.operation', JTS_METRICS_MAX_LABEL_LENGTH: 'lots' },
      });
    });
    expect(target!.options.operations).toHaveLength(6);
    expect(target!.options.maxLabelValueLength).toBe(128);
    expect(
      warnings
        .filter((warning) => warning.code === 'JTS_WARN_INVALID_ENV')
        .map((warning) => warning.message)
        .join('\n'),
    ).toMatch(
      /JTS_METRICS_OPERATIONS[\s\S]*JTS_METRICS_MAX_LABEL_LENGTH|JTS_METRICS_MAX_LABEL_LENGTH[\s\S]*JTS_METRICS_OPERATIONS/,
    );
  });

  it('measures only the selected operations', async () => {
    const target = create({ operations: ['http.server.request'] });
    orderExecution.run(ORDER, () => 'filled');
    riskCheck.run({ strategyId: 'mm-1' }, () => true);
    httpServerRequest.run({ method: 'GET', route: '/orders' }, () => 'ok');
    const samples = sampleMap(await target.metrics());
    expect(
      samples.get(
        key('api_request_duration_seconds_count', {
          method: 'GET',
          route: '/orders',
          status_code: 'none',
          outcome: 'success',
        }),
      ),
    ).toBe(1);
    expect(
      [...samples.keys()].some((name) => name.startsWith('order_execution') || name.startsWith('risk_check')),
    ).toBe(false);
    // Unselected operations have no subscriber at all: their runs cost nothing more.
    expect([orderExecution.hasSubscribers, riskCheck.hasSubscribers, httpServerRequest.hasSubscribers]).toEqual([
      false,
      false,
      true,
    ]);
    // The recorder of a muted operation still works when called directly.
    target.recordOrderExecution(ORDER, 0.01);
    expect(
      sampleMap(await target.metrics()).get(
        key('order_execution_total', {
          strategy_id: 'mm-1',
          symbol: 'AAPL',
          exchange: 'XNAS',
          side: 'buy',
          order_type: 'limit',
          status: 'success',
        }),
      ),
    ).toBe(1);
  });

  it('reads the operations from JTS_METRICS_OPERATIONS, and false subscribes to none', async () => {
    const selected = create({ env: { JTS_METRICS_OPERATIONS: 'risk.check, order.execution' } });
    expect(selected.options.operations).toEqual(['risk.check', 'order.execution']);
    await selected.close();
    expect(orderExecution.hasSubscribers).toBe(false);
    const none = create({ env: { JTS_METRICS_OPERATIONS: 'false' } });
    expect(none.options.operations).toBe(false);
    expect(orderExecution.hasSubscribers).toBe(false);
  });

  it('applies the redaction option to label values; false turns it off', async () => {
    const card = '4111 1111 1111 1111';
    const redacted = create({ operations: false });
    redacted.setStrategyPnl({ strategyId: `card ${card}` }, 1);
    expect(await redacted.metrics()).not.toContain(card);
    await redacted.close();
    const custom = create({
      operations: false,
      redaction: createRedactionPolicy({ patterns: [{ name: 'desk', pattern: /desk-\d+/g, replace: () => 'desk-*' }] }),
    });
    custom.setStrategyPnl({ strategyId: 'desk-42' }, 1);
    expect(await custom.metrics()).toContain('strategy_pnl{strategy_id="desk-*"} 1');
    await custom.close();
    const off = create({ operations: false, redaction: false });
    off.setStrategyPnl({ strategyId: `card ${card}` }, 1);
    expect(await off.metrics()).toContain(`strategy_pnl{strategy_id="card ${card}"} 1`);
  });
});
