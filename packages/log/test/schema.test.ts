import { orderExecution, riskCheck, withFields } from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger, closeLoggers, expectValidLines, schema, schemaErrors } from './helpers/capture.js';
import { runInSpan } from './helpers/span.js';

afterEach(closeLoggers);

class OrderRejectedError extends Error {
  override name = 'OrderRejectedError';
  readonly code = 'INSUFFICIENT_MARGIN';
}

describe('log line schema', () => {
  it('is published in the package with an export subpath', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as {
      exports: Record<string, unknown>;
      files: string[];
    };
    expect(pkg.exports['./schema/log-line.schema.json']).toBe('./schema/log-line.schema.json');
    expect(pkg.files).toContain('schema');
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('rejects lines that break it, so the checks below can fail', () => {
    const good = {
      '@timestamp': '2026-01-02T03:04:05.123456Z',
      'log.level': 'info',
      'ecs.version': '8.11.0',
      'service.name': 's',
      'service.environment': 'test',
      'process.pid': 1,
      'host.hostname': 'h',
      message: 'm',
    };
    expect(schemaErrors(good)).toBe('');
    expect(schemaErrors({ ...good, '@timestamp': '2026-01-02T03:04:05.123Z' })).toMatch(/@timestamp/);
    expect(schemaErrors({ ...good, message: 'a\u0085b' })).toMatch(/message/);
    expect(schemaErrors({ ...good, 'trace.id': 'a'.repeat(32) })).toMatch(/span.id/);
    expect(schemaErrors({ ...good, error: { message: 'no type' } })).toMatch(/type/);
  });

  it('covers every kind of line the logger writes', async () => {
    const { log, capture } = captureLogger({ operations: undefined, maxStringLength: 100 });
    log.info('plain');
    log.info({ qty: 100, price: 187.25, venue: 'XNAS' }, 'with fields');
    log.error(new OrderRejectedError('margin too low', { cause: new Error('risk limit', { cause: 'string cause' }) }));
    log.error({ err: new AggregateError([new Error('a'), new TypeError('b')], 'several') }, 'aggregate');
    log.child({ component: 'router', 'service.name': 'spoof' }).warn('from a child');
    const circular: Record<string, unknown> = { id: 1 };
    circular.self = circular;
    log.info(
      { circular, big: 12345678901234567890n, huge: 'x'.repeat(1000), error: 'not an error object' },
      'hostile \u2028 \u0085 \u001b[2J',
    );
    withFields({ strategyId: 'mm-1', symbol: 'AAPL', accountId: 'ACC-99991234' }, () =>
      runInSpan(() => log.info('in context and span')),
    );
    orderExecution.run({ orderId: 'o-1', symbol: 'AAPL', side: 'buy' }, () => 'filled');
    riskCheck.run({ accountId: 'A-1' }, (scope) => scope.setOutcome('rejected', 'limit_exceeded'));
    await orderExecution
      .run({ orderId: 'o-2' }, async () => Promise.reject(new OrderRejectedError('nope')))
      .catch(() => undefined);
    const records = expectValidLines(capture);
    expect(records.map((record) => record['log.level'])).toEqual([
      'info',
      'info',
      'error',
      'error',
      'warn',
      'info',
      'info',
      'info',
      'warn',
      'error',
    ]);
    expect(records.filter((record) => record['event.action'] !== undefined)).toHaveLength(3);
    expect(records.filter((record) => record['trace.id'] !== undefined)).toHaveLength(1);
    expect(JSON.stringify(records)).toContain('...[truncated 900 chars]');
  });
});
