import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger, closeLoggers, expectValidLines } from './helpers/capture.js';

afterEach(closeLoggers);

class BrokerError extends Error {
  override name = 'BrokerError';
  readonly code = 'ECONNRESET';
}

/** Logs one line and returns it, after checking it is valid JSON matching the schema. */
function logOne(fields: object, message = 'hostile', options = {}) {
  const { log, capture } = captureLogger(options);
  expect(() => log.warn(fields, message)).not.toThrow();
  const records = expectValidLines(capture);
  expect(records).toHaveLength(1);
  expect(records[0]?.message).toBe(message);
  return records[0] as Record<string, any>;
}

describe('hostile input never throws and never loses the line', () => {
  it('circular objects: the cycle is marked', () => {
    const order: Record<string, unknown> = { id: 'o-1' };
    order.parent = { child: order };
    const line = logOne({ order });
    expect(line.order).toEqual({ id: 'o-1', parent: { child: '[Circular]' } });
  });

  it('BigInt values become decimal strings', () => {
    const line = logOne({ quantity: 12345678901234567890n, nested: { sizes: [1n, 2n] } });
    expect(line.quantity).toBe('12345678901234567890');
    expect(line.nested).toEqual({ sizes: ['1', '2'] });
  });

  it('getters that throw: the field says so', () => {
    const target = {
      ok: 1,
      get broken(): never {
        throw new RangeError('no access');
      },
    };
    const line = logOne({
      target,
      get top(): never {
        throw new Error('top getter');
      },
    });
    expect(line.target).toEqual({ ok: 1, broken: '[Unreadable: getter threw RangeError: no access]' });
    expect(line.top).toBe('[Unreadable: getter threw Error: top getter]');
  });

  it('objects whose toJSON throws, and a Proxy that refuses to be read', () => {
    const bad = {
      toJSON: () => {
        throw new TypeError('cannot serialise');
      },
    };
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    const line = logOne({ bad, proxy, date: new Date(0) });
    expect(line.bad).toBe('[Unserializable: toJSON threw TypeError: cannot serialise]');
    expect(line.proxy).toBe('[Unserializable: Error: trap]');
    expect(line.date).toBe('1970-01-01T00:00:00.000Z');
  });

  it('huge strings are truncated with a marker at the configured limit, message included', () => {
    const huge = 'x'.repeat(100_000);
    const line = logOne({ payload: huge }, `m${'y'.repeat(500)}`.slice(0, 1), { maxStringLength: 1000 });
    expect(line.payload).toBe(`${'x'.repeat(1000)}...[truncated 99000 chars]`);
    const { log, capture } = captureLogger({ maxStringLength: 100 });
    log.info('z'.repeat(250));
    expect(expectValidLines(capture)[0]?.message).toBe(`${'z'.repeat(100)}...[truncated 150 chars]`);
  });

  it('reads the limit from JTS_LOG_MAX_STRING_LENGTH', () => {
    process.env.JTS_LOG_MAX_STRING_LENGTH = '200';
    try {
      const line = logOne({ payload: 'q'.repeat(300) });
      expect(line.payload).toBe(`${'q'.repeat(200)}...[truncated 100 chars]`);
    } finally {
      delete process.env.JTS_LOG_MAX_STRING_LENGTH;
    }
  });

  it('never cuts a surrogate pair in half', () => {
    const line = logOne({ emoji: `${'a'.repeat(99)}😀😀` }, 'emoji', { maxStringLength: 100 });
    expect(line.emoji).toBe(`${'a'.repeat(99)}...[truncated 4 chars]`);
  });

  it('Error subclasses with cause chains become ECS error fields with nested causes', () => {
    const root = new Error('socket hang up');
    const error = new BrokerError('order not sent', { cause: new TypeError('bad frame', { cause: root }) });
    const { log, capture } = captureLogger();
    log.error(error);
    const [line] = expectValidLines(capture);
    expect(line?.message).toBe('order not sent');
    expect(line?.error).toMatchObject({
      type: 'BrokerError',
      message: 'order not sent',
      code: 'ECONNRESET',
      cause: { type: 'TypeError', message: 'bad frame', cause: { type: 'Error', message: 'socket hang up' } },
    });
    expect((line?.error as { stack_trace: string }).stack_trace).toMatch(/^BrokerError: order not sent\n\s+at /);
  });

  it('AggregateError lists its errors; a cause cycle is cut', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    (first as { cause?: unknown }).cause = second;
    const { log, capture } = captureLogger();
    log.error({ err: new AggregateError([first, 'plain string', { code: 7 }], 'all venues failed') }, 'routing failed');
    const [line] = expectValidLines(capture);
    const logged = line?.error as Record<string, any>;
    expect(logged.type).toBe('AggregateError');
    expect(logged.errors).toHaveLength(3);
    expect(logged.errors[0]).toMatchObject({
      message: 'first',
      cause: { message: 'second', cause: { type: 'Circular', message: '[Circular]' } },
    });
    expect(logged.errors[1]).toEqual({ type: 'string', message: 'plain string' });
    expect(logged.errors[2]).toEqual({ type: 'object', message: '{"code":7}' });
  });

  it('an `error` field that is not an Error still yields an ECS error object', () => {
    expect(logOne({ error: 'timeout' }).error).toEqual({ type: 'string', message: 'timeout' });
    expect(logOne({ error: { code: 504, detail: 'gateway' } }).error).toEqual({
      type: 'object',
      message: '',
      code: '504',
      detail: 'gateway',
    });
  });

  it('deep nesting is cut at maxDepth with a marker', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 20; level++) deep = { next: deep };
    const line = logOne({ deep }, 'deep', { maxDepth: 3 });
    expect(JSON.stringify(line.deep)).toBe('{"next":{"next":{"next":"[Truncated: max depth]"}}}');
  });

  it('symbols, functions and typed arrays', () => {
    const line = logOne({ kind: Symbol('side'), callback: () => 1, bytes: new Uint8Array(2048) });
    expect(line.kind).toBe('[Symbol(side)]');
    expect(line).not.toHaveProperty('callback');
    expect(line.bytes).toBe('[Uint8Array: 2048 bytes]');
  });

  it('fields that clash with the schema move under labels.', () => {
    const line = logOne({
      'service.name': 'spoof',
      'trading.symbol': 'FAKE',
      correlation_id: 'x',
      host: 'h',
      event: 'fill',
      service: { name: 'n' },
    });
    expect(line['service.name']).toBe('test-service');
    expect(line).toMatchObject({
      'labels.service.name': 'spoof',
      'labels.trading.symbol': 'FAKE',
      'labels.correlation_id': 'x',
      'labels.host': 'h',
      'labels.event': 'fill',
      'labels.service': { name: 'n' },
    });
  });

  it('a throwing serializer becomes a marker', () => {
    const line = logOne({ req: { url: '/x' } }, 'serialized', {
      serializers: {
        req: () => {
          throw new Error('serializer bug');
        },
      },
    });
    expect(line.req).toBe('[Unserializable: serializer threw Error: serializer bug]');
  });
});
