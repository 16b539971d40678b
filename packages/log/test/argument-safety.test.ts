import querystring from 'node:querystring';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger, closeLoggers, schemaErrors } from './helpers/capture.js';
import { parseStrictJson } from './helpers/strict-json.js';

afterEach(closeLoggers);

/** The log methods without pino's printf typing: these calls pass what the types would refuse. */
const untyped = (log: unknown) => log as Record<'info' | 'warn' | 'error', (...args: unknown[]) => void>;

/** Every line the capture holds, parsed by the strict parser and checked against the schema. */
function strictLines(raw: string[]): Record<string, unknown>[] {
  return raw
    .join('')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const record = parseStrictJson(line);
      expect(schemaErrors(record), line).toBe('');
      return record;
    });
}

describe('no key is written twice (issue 11, item 3)', () => {
  it('a message field beside the call’s message moves to labels.message', () => {
    const { log, capture } = captureLogger();
    log.warn({ code: 400, message: 'insufficient margin' }, 'broker rejected');
    const [line] = strictLines(capture.raw);
    expect(line).toMatchObject({ message: 'broker rejected', 'labels.message': 'insufficient margin', code: 400 });
  });

  it('a child binding named message moves to labels.message, on every line of the child', () => {
    const { log, capture } = captureLogger();
    const child = log.child({ message: 'bound text', venue: 'XNAS' });
    child.info('first');
    child.error(new Error('second'));
    const lines = strictLines(capture.raw);
    expect(lines.map((line) => [line.message, line['labels.message'], line.venue])).toEqual([
      ['first', 'bound text', 'XNAS'],
      ['second', 'bound text', 'XNAS'],
    ]);
  });

  it('a message field alone is the line’s message (a string, sanitised), not a second key', () => {
    const { log, capture } = captureLogger();
    log.info({ message: 'only text', qty: 1 });
    log.info({ message: { nested: 'object', password: 'p' } });
    const [first, second] = strictLines(capture.raw);
    expect(first).toMatchObject({ message: 'only text', qty: 1 });
    expect(first).not.toHaveProperty('labels.message');
    expect(second?.message).toBe('{"nested":"object","password":"[REDACTED]"}');
  });

  it('a field named like a binding of its logger (or of an ancestor) moves to labels.<name>, numbered when that is taken too', () => {
    const { log, capture } = captureLogger();
    const child = log.child({ orderId: 'o-1', 'labels.orderId': 'bound label' });
    child.info({ orderId: 'o-2' }, 'clash');
    child.child({ orderId: 'o-3' }).info({ orderId: 'o-4' }, 'deeper');
    child.setBindings({ orderId: 'o-5' });
    child.info('after setBindings');
    const [clash, deeper, after] = strictLines(capture.raw);
    expect(clash).toMatchObject({ orderId: 'o-1', 'labels.orderId': 'bound label', 'labels.orderId_2': 'o-2' });
    expect(deeper).toMatchObject({
      orderId: 'o-1',
      'labels.orderId': 'bound label',
      'labels.orderId_2': 'o-3',
      'labels.orderId_3': 'o-4',
    });
    expect(after).toMatchObject({ orderId: 'o-1', 'labels.orderId_2': 'o-5' });
  });

  it('a caller field typed by the schema (event.*, jts.operation.status) keeps its name only with the schema’s type', () => {
    const { log, capture } = captureLogger();
    log.info(
      { 'event.duration': 'slow', 'event.outcome': 'maybe', 'event.action': 7, 'jts.operation.status': 'ok' },
      'typed',
    );
    log.info({ 'event.duration': 1500, 'event.outcome': 'failure', 'event.action': 'order.replay' }, 'valid');
    const [typed, valid] = strictLines(capture.raw);
    expect(typed).toMatchObject({
      'labels.event.duration': 'slow',
      'labels.event.outcome': 'maybe',
      'labels.event.action': 7,
      'jts.operation.status': 'ok',
    });
    expect(valid).toMatchObject({ 'event.duration': 1500, 'event.outcome': 'failure', 'event.action': 'order.replay' });
  });

  it('child bindings that pino itself would trip over: null prototype, a hasOwnProperty key, a string', () => {
    const { log, capture } = captureLogger();
    const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { venue: 'XNAS' });
    expect(() => log.child(nullPrototype).info('null prototype')).not.toThrow();
    expect(() => log.child({ hasOwnProperty: 'shadowed', desk: 'fx' }).info('shadowing')).not.toThrow();
    expect(() => log.child('abc' as never).info('string bindings')).not.toThrow();
    const [first, second, third] = strictLines(capture.raw);
    expect(first).toMatchObject({ venue: 'XNAS', message: 'null prototype' });
    expect(second).toMatchObject({ 'labels.hasOwnProperty': 'shadowed', desk: 'fx' });
    expect(Object.keys(third ?? {}).filter((key) => /^\d+$/.test(key))).toEqual([]);
  });

  it('a child binding named __proto__ (parsed JSON) is written as a field, never made the prototype', () => {
    const { log, capture } = captureLogger();
    const parsed = JSON.parse('{"__proto__":{"venue":"XNAS"},"desk":"fx"}') as Record<string, unknown>;
    const prototypeless = JSON.parse('{"__proto__":null}') as Record<string, unknown>;
    prototypeless.__proto__ = Object.assign(Object.create(null) as Record<string, unknown>, { '': 0 });
    expect(() => log.child(parsed).info('object value')).not.toThrow();
    expect(() => log.child(prototypeless).info('value without a prototype')).not.toThrow();
    const child = log.child({ desk: 'rates' });
    expect(() => child.setBindings(JSON.parse('{"__proto__":{"book":"b1"}}'))).not.toThrow();
    child.info('set bindings');
    const lines = strictLines(capture.raw);
    expect(lines).toHaveLength(3);
    const [first, second, third] = lines as Record<string, unknown>[];
    // The line's own `__proto__` field (JSON.parse makes it an own property), not its prototype.
    const field = (line: Record<string, unknown> | undefined) =>
      Object.getOwnPropertyDescriptor(line ?? {}, '__proto__')?.value;
    expect(field(first)).toEqual({ venue: 'XNAS' });
    expect(first).toMatchObject({ desk: 'fx', message: 'object value' });
    expect(field(second)).toEqual({ '': 0 });
    expect(field(third)).toEqual({ book: 'b1' });
    expect(third).toMatchObject({ desk: 'rates', message: 'set bindings' });
  });

  it('a field named __proto__ stays a field when the fields of a call are copied (a message field moves)', () => {
    const { log, capture } = captureLogger();
    log.info(JSON.parse('{"__proto__":{"venue":"XNAS"},"message":"theirs","desk":"fx"}'), 'ours');
    log.info(JSON.parse('{"message":"theirs","__proto__":null}'), 'null value');
    const [first, second] = strictLines(capture.raw) as Record<string, unknown>[];
    expect(Object.getOwnPropertyDescriptor(first ?? {}, '__proto__')?.value).toEqual({ venue: 'XNAS' });
    expect(first).toMatchObject({ 'labels.message': 'theirs', desk: 'fx', message: 'ours' });
    expect(Object.hasOwn(second ?? {}, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(second ?? {}, '__proto__')?.value).toBeNull();
  });

  it('an error logged beside a bound error field keeps both', () => {
    const { log, capture } = captureLogger();
    log.child({ error: { type: 'Upstream', message: 'bound' } }).error({ err: new TypeError('own') }, 'two errors');
    const [line] = strictLines(capture.raw);
    expect(line).toMatchObject({
      error: { type: 'Upstream', message: 'bound' },
      'labels.error': { type: 'TypeError', message: 'own' },
    });
  });
});

describe('pino’s own argument handling never throws into the caller (issue 11, item 4)', () => {
  const refusing = () =>
    new Proxy(
      {},
      {
        get: () => {
          throw new Error('no reads');
        },
        getPrototypeOf: () => {
          throw new Error('no prototype');
        },
        ownKeys: () => {
          throw new Error('no keys');
        },
        has: () => {
          throw new Error('no has');
        },
        getOwnPropertyDescriptor: () => {
          throw new Error('no descriptor');
        },
      },
    );

  it('%s of a null-prototype object (querystring.parse) writes what it holds', () => {
    const { log, capture } = captureLogger();
    expect(() => log.info('query %s', querystring.parse('a=1&b=2'))).not.toThrow();
    expect(strictLines(capture.raw)[0]?.message).toBe('query {"a":"1","b":"2"}');
  });

  it('%d of a Symbol writes NaN, as util.format does', () => {
    const { log, capture } = captureLogger();
    expect(() => untyped(log).info('qty %d of %s', Symbol('x'), Symbol('side'))).not.toThrow();
    expect(strictLines(capture.raw)[0]?.message).toBe('qty NaN of Symbol(side)');
  });

  it('objects whose toString or valueOf throws', () => {
    const { log, capture } = captureLogger();
    const hostile = {
      toString() {
        throw new Error('toString refused');
      },
      valueOf() {
        throw new Error('valueOf refused');
      },
      side: 'buy',
    };
    expect(() => untyped(log).info('order %s for %d', hostile, hostile)).not.toThrow();
    expect(strictLines(capture.raw)[0]?.message).toBe('order {"side":"buy"} for NaN');
  });

  it('a Proxy refusing every read, as the merging object, as a printf argument and as the message', () => {
    const { log, capture } = captureLogger();
    expect(() => log.info(refusing(), 'proxy fields')).not.toThrow();
    expect(() => log.info('proxy %s %j %o', refusing(), refusing(), refusing())).not.toThrow();
    expect(() => untyped(log).info({ ok: 1 }, refusing())).not.toThrow();
    const lines = strictLines(capture.raw);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      message: 'proxy fields',
      'labels.log_error': expect.stringMatching(/^\[Unserializable fields: Error: no/),
    });
    expect(lines[1]?.message).toMatch(
      /^proxy "\[Unserializable: Error: no [a-z]+\]" "\[Unserializable: Error: no [a-z]+\]" "\[Unserializable: Error: no [a-z]+\]"$/,
    );
    expect(lines[2]).toMatchObject({ ok: 1, message: expect.stringMatching(/^"\[Unserializable/) });
  });

  it('an Error whose message getter throws, logged alone, as err and as error', () => {
    const { log, capture } = captureLogger();
    const broken = () => {
      const error = new Error('hidden');
      Object.defineProperty(error, 'message', {
        get() {
          throw new Error('message getter refused');
        },
      });
      return error;
    };
    expect(() => log.error(broken())).not.toThrow();
    expect(() => log.error({ error: broken() })).not.toThrow();
    expect(() => log.error({ err: broken() }, 'with text')).not.toThrow();
    const lines = strictLines(capture.raw);
    expect(lines).toHaveLength(3);
    for (const line of lines)
      expect((line.error as { message: string }).message).toBe(
        '[Unreadable: getter threw Error: message getter refused]',
      );
    expect(lines[2]?.message).toBe('with text');
  });

  it('getters that throw where pino looks first (method, headers, socket, setHeader)', () => {
    const { log, capture } = captureLogger();
    const trap = Object.defineProperty({ qty: 1 }, 'method', {
      get() {
        throw new Error('method getter');
      },
    });
    const response = Object.defineProperty({ qty: 2 }, 'setHeader', {
      get() {
        throw new Error('setHeader getter');
      },
    });
    expect(() => log.info(trap, 'request-like')).not.toThrow();
    expect(() => log.info(response, 'response-like')).not.toThrow();
    expect(strictLines(capture.raw).map((line) => [line.message, line.qty])).toEqual([
      ['request-like', 1],
      ['response-like', 2],
    ]);
  });

  it('keeps printf semantics for ordinary values', () => {
    const { log, capture } = captureLogger();
    untyped(log).info('%s bought %d at %f (%i lots) %j %o 100%% %x', 'mm-1', 10, 187.25, 3.7, { a: 1 }, 'text');
    untyped(log).info({ qty: 1 }, 'missing %s and %d', 'only');
    log.info(42);
    log.info('%s', 12345678901234567890n);
    const messages = strictLines(capture.raw).map((line) => line.message);
    expect(messages).toEqual([
      'mm-1 bought 10 at 187.25 (3 lots) {"a":1} \'text\' 100% %x',
      'missing only and %d',
      '42',
      '12345678901234567890',
    ]);
  });
});
