import { setTimeout as sleep } from 'node:timers/promises';
import { orderExecution, runWithContext, strategyExecution, withFields } from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger, closeLoggers, expectValidLines } from './helpers/capture.js';
import { SPAN, runInSpan } from './helpers/span.js';

afterEach(closeLoggers);

describe('fields from the shared context', () => {
  it('writes no correlation or trading fields outside any context', () => {
    const { log, capture } = captureLogger();
    log.info('outside');
    const [line] = expectValidLines(capture);
    expect(line).not.toHaveProperty('correlation_id');
    expect(Object.keys(line ?? {}).filter((key) => key.startsWith('trading.') || key.startsWith('trace.'))).toEqual([]);
  });

  it('carries correlation_id and the trading.* fields of the current context', () => {
    const { log, capture } = captureLogger();
    runWithContext({ correlationId: 'req-42', strategyId: 'mm-1', symbol: 'AAPL', exchange: 'XNAS' }, () => {
      log.info('first');
      withFields({ orderId: 'o-7', side: 'sell' }, () => log.info('nested'));
    });
    const [first, nested] = expectValidLines(capture);
    expect(first).toMatchObject({
      correlation_id: 'req-42',
      'trading.strategy_id': 'mm-1',
      'trading.symbol': 'AAPL',
      'trading.exchange': 'XNAS',
    });
    expect(first).not.toHaveProperty('trading.order_id');
    expect(nested).toMatchObject({
      correlation_id: 'req-42',
      'trading.symbol': 'AAPL',
      'trading.order_id': 'o-7',
      'trading.side': 'sell',
    });
  });

  it('masks the account ID and redacts trading values through the shared policy', () => {
    const { log, capture } = captureLogger();
    withFields({ accountId: 'ACC-00123456', userId: 'u-1' }, () => log.info('account'));
    const [line] = expectValidLines(capture);
    expect(line?.['trading.account_id']).toBe('*******3456');
    expect(line?.['trading.user_id']).toBe('u-1');
  });

  it('adds trace.id and span.id only while an OpenTelemetry span is active', () => {
    const { log, capture } = captureLogger();
    runInSpan(() => log.info('in span'));
    runInSpan(() => log.info('other span'), { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) });
    log.info('after');
    const [inSpan, other, after] = expectValidLines(capture);
    expect(inSpan).toMatchObject({ 'trace.id': SPAN.traceId, 'span.id': SPAN.spanId });
    expect(other).toMatchObject({ 'trace.id': 'a'.repeat(32), 'span.id': 'b'.repeat(16) });
    expect(after).not.toHaveProperty('trace.id');
  });

  it('ignores an invalid span context, and IDs that are not hex of the right length', () => {
    const { log, capture } = captureLogger();
    runInSpan(() => log.info('invalid'), { traceId: '0'.repeat(32), spanId: '0'.repeat(16) });
    runInSpan(() => log.info('zero span'), { traceId: 'a'.repeat(32), spanId: '0'.repeat(16) });
    // A span context from a foreign tracer: the fragment is written unescaped, so these never pass.
    runInSpan(() => log.info('quote'), { traceId: `${'a'.repeat(30)}"}`, spanId: 'b'.repeat(16) });
    runInSpan(() => log.info('short'), { traceId: 'a'.repeat(31), spanId: 'b'.repeat(16) });
    runInSpan(() => log.info('newline'), { traceId: 'a'.repeat(32), spanId: `${'b'.repeat(15)}\n` });
    runInSpan(() => log.info('upper'), { traceId: 'A'.repeat(32), spanId: 'B'.repeat(16) });
    const lines = expectValidLines(capture);
    expect(lines.slice(0, 5).map((line) => line['trace.id'])).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // Upper-case hex is valid for the OpenTelemetry API too: written in lower case, as W3C has it.
    expect(lines[5]).toMatchObject({ 'trace.id': 'a'.repeat(32), 'span.id': 'b'.repeat(16) });
  });

  it('keeps each concurrent flow on its own correlation ID and fields', async () => {
    const { log, capture } = captureLogger();
    const flows = Array.from({ length: 50 }, (_, index) => index);
    await Promise.all(
      flows.map((index) =>
        orderExecution.run({ correlationId: `flow-${index}`, orderId: `o-${index}`, symbol: `S${index}` }, async () => {
          log.info({ step: 1 }, 'accepted');
          await sleep(index % 7);
          await strategyExecution.run({ strategyId: `st-${index}` }, async () => {
            await sleep(1);
            log.info({ step: 2 }, 'evaluated');
          });
          log.info({ step: 3 }, 'sent');
        }),
      ),
    );
    const records = expectValidLines(capture);
    expect(records).toHaveLength(150);
    for (const record of records) {
      const index = String(record.correlation_id).slice('flow-'.length);
      expect(record['trading.order_id']).toBe(`o-${index}`);
      expect(record['trading.symbol']).toBe(`S${index}`);
      if (record.step === 2) expect(record['trading.strategy_id']).toBe(`st-${index}`);
      else expect(record).not.toHaveProperty('trading.strategy_id');
    }
  });

  it('gives child loggers the context fields plus their bindings', () => {
    const { log, capture } = captureLogger();
    const child = log.child({ component: 'router' });
    withFields({ correlationId: 'c-1', symbol: 'MSFT' }, () => child.child({ venue: 'XNAS' }).info('routed'));
    expect(expectValidLines(capture)[0]).toMatchObject({
      correlation_id: 'c-1',
      'trading.symbol': 'MSFT',
      component: 'router',
      venue: 'XNAS',
    });
  });

  it('writes each order its own fields over thousands of orders, repeating values and unique ones alike', () => {
    const { log, capture } = captureLogger();
    const symbols = ['AAPL', 'MSFT', 'paid 4111 1111 1111 1111'];
    for (let index = 0; index < 2000; index++)
      runWithContext(
        {
          correlationId: `c-${index}`,
          orderId: `o-${index}`,
          symbol: symbols[index % 3],
          accountId: `ACC-${index % 5}-12345678`,
        },
        () => log.info('order'),
      );
    const lines = expectValidLines(capture);
    expect(lines).toHaveLength(2000);
    lines.forEach((line, index) => {
      expect(line).toMatchObject({
        correlation_id: `c-${index}`,
        'trading.order_id': `o-${index}`,
        'trading.symbol': index % 3 === 2 ? 'paid ************1111' : symbols[index % 3],
        'trading.account_id': '********5678',
      });
    });
  });
});
