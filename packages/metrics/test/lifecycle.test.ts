import { orderExecution } from '@jts/core';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createTradingMetrics, type TradingMetricsOptions } from '../src/index.js';
import { sampleKey as key, sampleMap } from './support/parse-exposition.js';

const ORDER = { strategyId: 'mm-1', symbol: 'AAPL', exchange: 'XNAS', side: 'buy', orderType: 'limit' };
const ORDER_TOTAL = key('order_execution_total', {
  strategy_id: 'mm-1',
  symbol: 'AAPL',
  exchange: 'XNAS',
  side: 'buy',
  order_type: 'limit',
  status: 'success',
});
const base: TradingMetricsOptions = { defaultMetrics: false, env: {} };

describe('close()', () => {
  it('returns a promise, is idempotent, unsubscribes and removes the catalog from the registry', async () => {
    const registry = new Registry();
    const metrics = createTradingMetrics({ ...base, registry });
    expect(orderExecution.hasSubscribers).toBe(true);
    const closing = metrics.close();
    expect(closing).toBeInstanceOf(Promise);
    await closing;
    await metrics.close();
    expect(orderExecution.hasSubscribers).toBe(false);
    expect(registry.getSingleMetric('order_execution_total')).toBeUndefined();
  });
});

describe('a second createTradingMetrics on the same registry', () => {
  it('reuses the catalog: same series, one operation subscription, removed when the last one closes', async () => {
    const registry = new Registry();
    const first = createTradingMetrics({ ...base, registry });
    const second = createTradingMetrics({ ...base, registry });
    first.recordOrderExecution(ORDER, 0.01);
    second.recordOrderExecution(ORDER, 0.02);
    // One run, measured once although two instances exist.
    orderExecution.run(ORDER, () => 'filled');
    expect(sampleMap(await second.metrics()).get(ORDER_TOTAL)).toBe(3);
    expect(await first.metrics()).toBe(await second.metrics());

    await first.close();
    expect(orderExecution.hasSubscribers).toBe(true);
    second.recordOrderExecution(ORDER, 0.03);
    expect(sampleMap(await registry.metrics()).get(ORDER_TOTAL)).toBe(4);
    await second.close();
    expect(orderExecution.hasSubscribers).toBe(false);
    expect(registry.getSingleMetric('order_execution_total')).toBeUndefined();
  });

  it('keeps each instance its own stats collectors', async () => {
    const registry = new Registry();
    const first = createTradingMetrics({ ...base, registry, operations: false });
    const second = createTradingMetrics({ ...base, registry, operations: false });
    const spans = (ended: number) => ({
      spans: { started: ended, ended, exported: 0, dropped: 0, rejected: 0 },
      exports: { failed: 0 },
    });
    first.collectStats('trace', () => spans(5));
    expect(sampleMap(await registry.metrics()).get(key('jts_trace_spans_ended_total'))).toBe(5);
    second.collectStats('trace', () => spans(9));
    await first.close();
    expect(sampleMap(await registry.metrics()).get(key('jts_trace_spans_ended_total'))).toBe(9);
    await second.close();
  });

  it('needs the same settings: a different one is a JtsError naming it, and changes nothing', async () => {
    const registry = new Registry();
    const first = createTradingMetrics({ ...base, registry, maxSeriesPerMetric: 50 });
    const attempts: [TradingMetricsOptions, RegExp][] = [
      [
        { maxSeriesPerMetric: 60 },
        /^Invalid option maxSeriesPerMetric: this registry already holds .* with maxSeriesPerMetric 50; pass the same value \(or set JTS_METRICS_MAX_SERIES\)/,
      ],
      [
        { maxSeriesPerMetric: 50, operations: ['order.execution'] },
        /^Invalid option operations: .*JTS_METRICS_OPERATIONS/,
      ],
      [{ maxSeriesPerMetric: 50, strict: true }, /^Invalid option strict: .*JTS_METRICS_STRICT/],
      [{ maxSeriesPerMetric: 50, redaction: false }, /^Invalid option redaction: .*another policy object/],
    ];
    for (const [options, message] of attempts) {
      expect(() => createTradingMetrics({ ...base, registry, ...options })).toThrow(
        expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION', message: expect.stringMatching(message) }),
      );
    }
    first.recordOrderExecution(ORDER, 0.01);
    expect(sampleMap(await first.metrics()).get(ORDER_TOTAL)).toBe(1);
    await first.close();
    // The failed attempts took no share: the first close() removed everything.
    expect(registry.getSingleMetric('order_execution_total')).toBeUndefined();
    expect(orderExecution.hasSubscribers).toBe(false);
  });

  it('starts afresh after registry.clear(), and refuses a registry whose catalog names are taken by foreign metrics', async () => {
    const registry = new Registry();
    const first = createTradingMetrics({ ...base, registry });
    first.recordOrderExecution(ORDER, 0.01);
    registry.clear();
    const second = createTradingMetrics({ ...base, registry, maxSeriesPerMetric: 10 });
    expect(sampleMap(await second.metrics()).get(ORDER_TOTAL)).toBeUndefined();
    orderExecution.run(ORDER, () => 'filled');
    expect(sampleMap(await second.metrics()).get(ORDER_TOTAL)).toBe(1);
    await first.close();
    expect(registry.getSingleMetric('order_execution_total')).toBeDefined();
    await second.close();
    expect(orderExecution.hasSubscribers).toBe(false);

    const foreign = new Registry();
    new Counter({ name: 'order_execution_total', help: 'not ours', registers: [foreign] });
    expect(() => createTradingMetrics({ ...base, registry: foreign })).toThrow(
      /^Invalid option registry: it already holds a metric of the catalog/,
    );
    expect(foreign.getMetricsAsArray()).toHaveLength(1);
    expect(orderExecution.hasSubscribers).toBe(false);
  });
});
