import { describe, expect, it } from 'vitest';
import { createRedactionPolicy, createRedactor, createValueWalker } from '@jts/core';
import { redactionWork } from '@jts/core/internal';

/** What a walk cost in nodes visited and characters scanned. */
function measured<T>(walk: () => T): { out: T; nodes: number; reads: number } {
  const before = redactionWork();
  const out = walk();
  const after = redactionWork();
  return { out, nodes: after.nodes - before.nodes, reads: after.reads - before.reads };
}

describe('the one value walker: bounded in size and in work', () => {
  const walker = createValueWalker({ limits: { maxItems: 100, maxStringLength: 200 } });

  it('a sparse array of length 2^32-1 costs maxItems reads, not 4 billion', () => {
    const sparse: unknown[] = [];
    sparse[2 ** 32 - 2] = 'last';
    sparse[3] = 'card 4111 1111 1111 1111';
    const { out, nodes } = measured(() => walker.value({ sparse }) as { sparse: unknown[] });
    expect(out.sparse).toHaveLength(101);
    expect(out.sparse[3]).toBe('card ************1111');
    expect(out.sparse[100]).toBe(`[truncated ${2 ** 32 - 1 - 100} items]`);
    expect(nodes).toBe(2);
  });

  it('long arrays, Maps, Sets and objects keep maxItems entries and count the rest', () => {
    const many = Array.from({ length: 5000 }, (_, index) => index);
    const out = walker.value({
      list: many,
      set: new Set(many),
      map: new Map(many.map((index) => [`k${index}`, index])),
      record: Object.fromEntries(many.map((index) => [`k${index}`, index])),
    }) as Record<string, any>;
    expect(out.list).toEqual([...many.slice(0, 100), '[truncated 4900 items]']);
    expect(out.set).toEqual([...many.slice(0, 100), '[truncated 4900 items]']);
    expect(Object.keys(out.map)).toHaveLength(101);
    expect(out.map['[truncated]']).toBe('4900 more entries');
    expect(out.record['[truncated]']).toBe('4900 more properties');
  });

  it('a huge key is cut at maxKeyLength (never above maxStringLength) and classified by its tail', () => {
    const key = `${'k'.repeat(10 * 1024 * 1024)}_password`;
    const { out, reads } = measured(() => walker.value({ [key]: 'hunter2', ok: 1 }) as Record<string, unknown>);
    expect(walker.limits.maxKeyLength).toBe(200);
    expect(out).toEqual({ [`${'k'.repeat(200)}...[truncated ${key.length - 200} chars]`]: '[REDACTED]', ok: 1 });
    expect(reads).toBeLessThan(30 * 3 * (200 + 1024));
  });

  it('a secret used as a key is redacted like a value (a Map keyed by card number or IBAN)', () => {
    const byAccount = new Map([
      ['4111 1111 1111 1111', 'card'],
      ['GB29NWBK60161331926819', 'iban'],
    ]);
    expect(walker.value({ byAccount })).toEqual({
      byAccount: { '************1111': 'card', '************6819': 'iban' },
    });
  });

  it('Maps and plain objects with the same entries come out the same', () => {
    const entries: [string, unknown][] = [
      ['password', 'x'],
      ['note', 'Bearer abcdef123'],
      ['cardNumber', 4111111111111111],
      ['nested', { apiKey: 'k' }],
    ];
    expect(walker.value(new Map(entries))).toEqual(walker.value(Object.fromEntries(entries)));
  });

  it('a key named __proto__ (parsed JSON, a Map) stays a field of the copy, redacted like any other', () => {
    const parsed = JSON.parse(
      '{"order":{"__proto__":{"note":"card 4111 1111 1111 1111"},"id":7,"password":"hunter2"},"empty":{"__proto__":null,"id":8,"password":"p"}}',
    ) as Record<string, unknown>;
    const out = walker.value({
      ...parsed,
      map: new Map<string, unknown>([['__proto__', 'card 4111 1111 1111 1111']]),
    }) as Record<string, Record<string, unknown>>;
    const field = (target: object | undefined) => Object.getOwnPropertyDescriptor(target ?? {}, '__proto__')?.value;
    expect(field(out.order)).toEqual({ note: 'card ************1111' });
    expect(out.order).toMatchObject({ id: 7, password: '[REDACTED]' });
    expect(Object.getPrototypeOf(out.order)).toBe(Object.prototype);
    expect(Object.hasOwn(out.empty ?? {}, '__proto__')).toBe(true);
    expect(field(out.empty)).toBeNull();
    expect(field(out.map)).toBe('card ************1111');
    expect(JSON.parse(JSON.stringify(out)).order.__proto__).toEqual({ note: 'card ************1111' });
  });

  it('is copy-on-write: an object that needs nothing is returned as it is', () => {
    const order = { id: 'o-1', legs: [{ venue: 'XNAS', qty: 5 }], at: 'now' };
    expect(walker.value(order)).toBe(order);
    const secret = { id: 'o-1', legs: [{ venue: 'XNAS', token: 't' }] };
    const out = walker.value(secret) as typeof secret;
    expect(out).not.toBe(secret);
    expect(out.legs[0]).toEqual({ venue: 'XNAS', token: '[REDACTED]' });
    expect(secret.legs[0]?.token).toBe('t');
  });

  it('writes errors as ECS error objects, message, stack and cause redacted', () => {
    const error = new Error('charge failed for 4111 1111 1111 1111', {
      cause: new TypeError('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'),
    });
    const out = walker.value({ error }) as { error: Record<string, any> };
    expect(out.error).toMatchObject({
      type: 'Error',
      message: 'charge failed for ************1111',
      cause: { type: 'TypeError', message: 'token [REDACTED]' },
    });
    expect(out.error.stack_trace).toMatch(/^Error: charge failed for \*{12}1111\n/);
  });

  it('createRedactor(false) bounds values without redacting them', () => {
    const bounded = createValueWalker({ redactor: createRedactor(false), limits: { maxStringLength: 100 } });
    expect(bounded.value({ password: 'p', card: '4111 1111 1111 1111', long: 'x'.repeat(300) })).toEqual({
      password: 'p',
      card: '4111 1111 1111 1111',
      long: `${'x'.repeat(100)}...[truncated 200 chars]`,
    });
  });

  it('strict JSON (audit payloads): values JSON cannot carry are refused, not rewritten', () => {
    const strict = createValueWalker({ strictJson: true });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const throwing = Object.defineProperty({}, 'x', {
      enumerable: true,
      get: () => {
        throw new Error('no');
      },
    });
    for (const bad of [
      { n: 1n },
      { n: Number.NaN },
      { n: -Infinity },
      cyclic,
      throwing,
      {
        toJSON: () => {
          throw new Error('no');
        },
      },
    ]) {
      expect(() => strict.value(bad)).toThrow(expect.objectContaining({ code: 'JTS_ERR_INVALID_ARGUMENT' }));
    }
    expect(strict.value({ at: new Date(0), map: new Map([['iban', 'GB29NWBK60161331926819']]) })).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      map: { iban: '************6819' },
    });
  });

  it('limits are checked when a policy is built', () => {
    expect(() => createRedactionPolicy({ limits: { maxItems: 0 } })).toThrow(
      expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION', message: expect.stringContaining('limits.maxItems') }),
    );
    expect(createRedactionPolicy({ limits: { maxStringLength: 64 } }).limits).toEqual({
      maxStringLength: 64,
      maxKeyLength: 64,
      maxDepth: 10,
      maxItems: 1000,
    });
  });
});
