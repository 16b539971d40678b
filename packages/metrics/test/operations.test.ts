import {
  brokerApiCall,
  httpServerRequest,
  marketDataProcessing,
  orderExecution,
  riskCheck,
  strategyExecution,
} from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createTradingMetrics, type TradingMetrics } from '../src/index.js';
import { sampleKey as key, sampleMap } from './support/parse-exposition.js';

let metrics: TradingMetrics | undefined;
afterEach(() => metrics?.close());
const create = () => (metrics = createTradingMetrics({ defaultMetrics: false, strict: false }));
const ORDER = {
  orderId: 'o-1',
  strategyId: 'mm-1',
  symbol: 'AAPL',
  exchange: 'XNAS',
  side: 'buy',
  orderType: 'limit',
  userId: 'u-9',
};
const ORDER_LABELS = { strategy_id: 'mm-1', symbol: 'AAPL', exchange: 'XNAS', side: 'buy', order_type: 'limit' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('operation subscription', () => {
  it('does nothing before createTradingMetrics is called', () => {
    expect(orderExecution.hasSubscribers).toBe(false);
    create();
    expect(orderExecution.hasSubscribers).toBe(true);
    metrics!.close();
    expect(orderExecution.hasSubscribers).toBe(false);
  });

  it('measures sync, async and failing order executions without extra calls', async () => {
    const target = create();
    orderExecution.run(ORDER, () => 'sync');
    await orderExecution.run(ORDER, async () => {
      await sleep(30);
      return 'async';
    });
    await expect(
      orderExecution.run(ORDER, async () => {
        await sleep(5);
        throw Object.assign(new Error('no margin'), { code: 'INSUFFICIENT_MARGIN' });
      }),
    ).rejects.toThrow('no margin');
    orderExecution.run(ORDER, (scope) => scope.setOutcome('rejected', 'risk_limit'));
    const text = await target.metrics();
    const samples = sampleMap(text);
    expect(samples.get(key('order_execution_duration_seconds_count', ORDER_LABELS))).toBe(4);
    // The async run took >= 30 ms: the duration runs to asyncEnd, not to the synchronous end.
    expect(
      samples.get(key('order_execution_duration_seconds_bucket', { ...ORDER_LABELS, le: '0.025' })),
    ).toBeLessThanOrEqual(3);
    expect(samples.get(key('order_execution_duration_seconds_sum', ORDER_LABELS))).toBeGreaterThanOrEqual(0.029);
    expect(samples.get(key('order_execution_total', { ...ORDER_LABELS, status: 'success' }))).toBe(2);
    expect(samples.get(key('order_execution_total', { ...ORDER_LABELS, status: 'error' }))).toBe(1);
    expect(samples.get(key('order_execution_total', { ...ORDER_LABELS, status: 'rejected' }))).toBe(1);
    expect(
      samples.get(
        key('order_execution_errors_total', {
          strategy_id: 'mm-1',
          symbol: 'AAPL',
          exchange: 'XNAS',
          error_type: 'INSUFFICIENT_MARGIN',
        }),
      ),
    ).toBe(1);
    // A business outcome (rejected) is counted by status, never as an error: OUTCOME_SIGNALS.business.countsAsError is false.
    expect(
      samples.get(
        key('order_execution_errors_total', {
          strategy_id: 'mm-1',
          symbol: 'AAPL',
          exchange: 'XNAS',
          error_type: 'risk_limit',
        }),
      ),
    ).toBeUndefined();
    // Order and user IDs stay in logs, spans and audit records: never in metrics.
    expect(text).not.toContain('o-1');
    expect(text).not.toContain('u-9');
  });

  it('an async run that sets its outcome before its first await is still measured to its end', async () => {
    const target = create();
    await orderExecution.run(ORDER, async (scope) => {
      scope.setOutcome('rejected', 'risk_limit');
      await sleep(30);
    });
    const samples = sampleMap(await target.metrics());
    expect(samples.get(key('order_execution_duration_seconds_count', ORDER_LABELS))).toBe(1);
    expect(samples.get(key('order_execution_duration_seconds_sum', ORDER_LABELS))).toBeGreaterThanOrEqual(0.029);
    expect(samples.get(key('order_execution_total', { ...ORDER_LABELS, status: 'rejected' }))).toBe(1);
  });

  it('measures market data, broker calls, risk checks and strategy runs', async () => {
    const target = create();
    marketDataProcessing.run({ symbol: 'AAPL', exchange: 'XNAS' }, () => undefined);
    await brokerApiCall.run({ broker: 'ibkr' }, async () => sleep(1));
    riskCheck.run({ strategyId: 's1' }, () => true);
    expect(() =>
      strategyExecution.run({ strategyId: 's1' }, () => {
        throw new TypeError('bad signal');
      }),
    ).toThrow('bad signal');
    const samples = sampleMap(await target.metrics());
    expect(
      samples.get(
        key('market_data_processing_duration_seconds_count', { symbol: 'AAPL', exchange: 'XNAS', status: 'success' }),
      ),
    ).toBe(1);
    expect(samples.get(key('market_data_updates_total', { symbol: 'AAPL', exchange: 'XNAS' }))).toBe(1);
    expect(samples.get(key('broker_api_call_duration_seconds_count', { broker: 'ibkr', status: 'success' }))).toBe(1);
    expect(samples.get(key('risk_check_duration_seconds_count', { strategy_id: 's1', status: 'success' }))).toBe(1);
    expect(samples.get(key('strategy_execution_duration_seconds_count', { strategy_id: 's1', status: 'error' }))).toBe(
      1,
    );
  });

  it('labels http.server.request by method, route template, status code and outcome, never the raw URL', async () => {
    const target = create();
    // Twice: the second request finds the series the first created (the recorder's fast path).
    for (const url of ['/orders/12345?token=abc', '/orders/67890'])
      await httpServerRequest.run({ method: 'get', route: '/orders/:id', url }, async (scope) => {
        await sleep(1);
        scope.setAttributes({ statusCode: 404 });
      });
    httpServerRequest.run({ method: 'POST', url: '/unknown/path' }, () => 'no route matched');
    httpServerRequest.run({ method: 'GET', url: '/slow' }, (scope) => scope.setOutcome('aborted'));
    const text = await target.metrics();
    const samples = sampleMap(text);
    expect(
      samples.get(
        key('api_request_duration_seconds_count', {
          method: 'GET',
          route: '/orders/:id',
          status_code: '404',
          outcome: 'client_error',
        }),
      ),
    ).toBe(2);
    expect(
      samples.get(
        key('api_request_duration_seconds_count', {
          method: 'POST',
          route: 'unmatched',
          status_code: 'none',
          outcome: 'success',
        }),
      ),
    ).toBe(1);
    expect(
      samples.get(
        key('api_request_duration_seconds_count', {
          method: 'GET',
          route: 'unmatched',
          status_code: 'none',
          outcome: 'aborted',
        }),
      ),
    ).toBe(1);
    expect(text).not.toContain('12345');
    expect(text).not.toContain('67890');
    expect(text).not.toContain('/unknown/path');
  });

  it('keeps concurrent runs apart', async () => {
    const target = create();
    await Promise.all(
      Array.from({ length: 50 }, (_unused, index) =>
        orderExecution.run({ ...ORDER, symbol: `S${index % 5}` }, async () => {
          await sleep(index % 7);
          return index;
        }),
      ),
    );
    const samples = sampleMap(await target.metrics());
    for (let symbol = 0; symbol < 5; symbol++) {
      expect(
        samples.get(key('order_execution_total', { ...ORDER_LABELS, symbol: `S${symbol}`, status: 'success' })),
      ).toBe(10);
    }
  });

  it('never throws into the operation, even in strict mode with bad labels', () => {
    metrics = createTradingMetrics({ defaultMetrics: false, strict: true });
    expect(orderExecution.run({ ...ORDER, symbol: 'x'.repeat(1000) }, () => 'kept')).toBe('kept');
  });
});
