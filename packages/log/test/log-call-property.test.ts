// Issue 11, deliverable 4: whatever a log call is given, it returns normally and writes exactly
// one line that is one valid JSON object with unique keys (a strict parser, not JSON.parse, which
// keeps the last duplicate silently) and that matches the published line schema.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import type { Level } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { JtsLogger } from '../src/index.js';
import { captureLogger, closeLoggers, schemaErrors } from './helpers/capture.js';
import { parseStrictJson } from './helpers/strict-json.js';

afterAll(closeLoggers);

const thrower = (what: string) => () => {
  throw new Error(`${what} refused`);
};

/**
 * A hostile value to build when the call is made: fast-check inspects the values it generates
 * (and would trip over a Proxy that refuses every read), so it generates this description instead.
 */
class Hostile {
  constructor(readonly kind: string) {}
}

/** Builds each {@link Hostile} inside generated fields and arguments (two levels deep). */
function materialize(value: unknown, depth = 0): unknown {
  if (value instanceof Hostile) return build(value.kind);
  if (depth > 1 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => materialize(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const out = Object.create(prototype) as Record<string, unknown>;
  for (const key of Object.keys(value))
    Object.defineProperty(out, key, {
      value: materialize((value as Record<string, unknown>)[key], depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

/** Values that have broken loggers: plain values of every type, and hostile kinds built per call. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    maxDepth: 3,
    maxKeys: 6,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withNullPrototype: true,
    withObjectString: true,
    withSet: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
  }),
  fc
    .constantFrom(
      'Proxy refusing every read',
      'throwing getter',
      'throwing toString and valueOf',
      'throwing toJSON',
      'toJSON returning itself',
      'cycle',
      'Error with a throwing message getter',
      'Error with a cause cycle',
      'AggregateError',
      'symbol',
      'huge dense array',
      'huge sparse array',
      'huge string',
      'function',
    )
    .map((kind) => new Hostile(kind)),
  fc
    .constantFrom('Proxy refusing every read', 'throwing getter', 'cycle')
    .map((kind) => ({ nested: new Hostile(kind) })),
);

function build(kind: string): unknown {
  switch (kind) {
    case 'Proxy refusing every read':
      return new Proxy(
        {},
        {
          get: thrower('get'),
          ownKeys: thrower('ownKeys'),
          getPrototypeOf: thrower('getPrototypeOf'),
          has: thrower('has'),
          getOwnPropertyDescriptor: thrower('descriptor'),
        },
      );
    case 'throwing getter':
      return Object.defineProperty({ ok: 1 }, 'broken', { enumerable: true, get: thrower('getter') });
    case 'throwing toString and valueOf':
      return {
        toString: thrower('toString'),
        valueOf: thrower('valueOf'),
        [Symbol.toPrimitive]: thrower('toPrimitive'),
      };
    case 'throwing toJSON':
      return { toJSON: thrower('toJSON') };
    case 'toJSON returning itself': {
      const self: { toJSON?: () => unknown } = {};
      self.toJSON = () => self;
      return self;
    }
    case 'cycle': {
      const node: Record<string, unknown> = { id: 1 };
      node.self = node;
      node.list = [node, { back: node }];
      return node;
    }
    case 'Error with a throwing message getter':
      return Object.defineProperty(new Error('x'), 'message', { get: thrower('message') });
    case 'Error with a cause cycle': {
      const first = new Error('first');
      const second = new Error('second', { cause: first });
      (first as { cause?: unknown }).cause = second;
      return second;
    }
    case 'AggregateError':
      return new AggregateError([new Error('a'), 'b', { c: 1 }], 'many');
    case 'symbol':
      return Symbol('hostile');
    case 'huge dense array':
      return Array.from({ length: 2_000 }, (_, index) => index);
    case 'huge sparse array':
      // 2^32-1 is the walker's own case (see the test below); this length is walked in ms.
      return Object.assign(new Array(20_000), { 7: 'seven' });
    case 'huge string':
      return 'x'.repeat(100_000);
    default:
      return () => 'function';
  }
}

/** Keys that clash with the schema, pino's own names, prototypes, unsafe characters, huge keys. */
const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    'message',
    'msg',
    'error',
    'err',
    'event',
    'event.outcome',
    'event.duration',
    'event.action',
    'jts.operation.status',
    'level',
    'log.level',
    'time',
    '@timestamp',
    'host',
    'service.name',
    'trading.symbol',
    'correlation_id',
    'trace.id',
    'labels.message',
    'labels.host',
    '__proto__',
    'constructor',
    'toJSON',
    'password',
    'method',
    'headers',
    'socket',
    'setHeader',
    '\u0085',
    '\\u0085',
    'a\u2028b',
  ),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.integer({ min: 0, max: 3 }).map((index) => `${'k'.repeat(2_000)}${index}`),
);

const fields = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(hostileKey, hostileValue, { maxKeys: 6 }) },
  {
    weight: 1,
    arbitrary: fc
      .dictionary(hostileKey, hostileValue, { maxKeys: 4, noNullPrototype: false })
      .map((object) => Object.assign(Object.create(null), object)),
  },
  {
    weight: 1,
    arbitrary: hostileValue.filter((value) => typeof value === 'object' && value !== null) as fc.Arbitrary<object>,
  },
);

/** printf templates: every token pino knows, plus stray `%`. */
const template = fc
  .array(
    fc.oneof(
      fc.constantFrom('%s', '%d', '%i', '%f', '%j', '%o', '%O', '%%', '%', '%x', '%c'),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** The shapes pino's log methods accept: (fields), (fields, message, ...args), (message, ...args), (anything). */
const args: fc.Arbitrary<unknown[]> = fc.oneof(
  fields.map((object) => [object]),
  fc
    .tuple(fields, template, fc.array(hostileValue, { maxLength: 4 }))
    .map(([object, text, rest]) => [object, text, ...rest]),
  fc.tuple(template, fc.array(hostileValue, { maxLength: 5 })).map(([text, rest]) => [text, ...rest]),
  fc.tuple(fields, hostileValue).map(([object, message]) => [object, message]),
  fc.array(hostileValue, { minLength: 1, maxLength: 3 }),
);

const levels: Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

describe('any log call (property, fast-check)', () => {
  const { log, capture } = captureLogger({ level: 'trace', maxStringLength: 4096 });

  it('returns, and writes exactly one line: one JSON object, no repeated key, valid against the schema', () => {
    fc.assert(
      fc.property(fc.array(fields, { maxLength: 2 }), fc.constantFrom(...levels), args, (bindings, level, call) => {
        let target: JtsLogger = log;
        for (const binding of bindings)
          target = target.child(materialize(binding) as Record<string, unknown>) as JtsLogger;
        const before = capture.raw.length;
        (target[level] as (...values: unknown[]) => void)(...(materialize(call) as unknown[]));
        const lines = capture.raw
          .slice(before)
          .join('')
          .split('\n')
          .filter((line) => line !== '');
        expect(lines).toHaveLength(1);
        const record = parseStrictJson(lines[0]!);
        expect(schemaErrors(record)).toBe('');
        expect(record['log.level']).toBe(level);
      }),
      { numRuns: Number(process.env.JTS_PROPERTY_RUNS ?? 200) },
    );
    expect(log.stats().dropped).toBe(0);
  });
});

// Issue 11, item 7 (the value walker, owned by the redaction work): a sparse array of length
// 2^32-1 made the copy-on-write walk visit every index for minutes, where raw pino returns in
// milliseconds. The walk is synchronous, so the call runs in a child process with a deadline.
describe('the value walker on a sparse array of length 2^32-1', () => {
  it('logs it within 10 s (walker: skip the holes of sparse arrays / bound the walk)', () => {
    const source = new URL('../src/index.ts', import.meta.url).href;
    const script = `import { createLogger } from ${JSON.stringify(source)};
const log = createLogger({ serviceName: 'sparse', operations: false, destination: { stream: { write: (line) => process.stdout.write(line) } } });
log.info({ sparse: Object.assign(new Array(2 ** 32 - 1), { 5: 'five' }) }, 'sparse');`;
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    const line = result.stdout.split('\n').find((text) => text.includes('"message":"sparse"'));
    expect(result.signal, `still walking after ${Date.now() - started} ms`).toBeNull();
    expect(line === undefined ? undefined : parseStrictJson(line).message).toBe('sparse');
  }, 20_000);
});
