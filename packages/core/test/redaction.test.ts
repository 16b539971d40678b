import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactionPolicy, createRedactor, defaultRedactionPolicy, maskLast4, normalizeKey } from '@jts/core';
import { redactionWork } from '@jts/core/internal';

describe('redaction policy', () => {
  const redactor = createRedactor();

  it('redacts credentials and auth headers by key, whatever the spelling', () => {
    const input = {
      password: 'hunter2',
      apiKey: 'k-1',
      'x-api-key': 'k-2',
      client_secret: 's',
      headers: { authorization: 'Bearer abc.def', cookie: 'sid=1', 'set-cookie': ['a=b'] },
      refreshToken: 't',
      symbol: 'AAPL',
    };
    expect(redactor.redactObject(input)).toEqual({
      password: '[REDACTED]',
      apiKey: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      client_secret: '[REDACTED]',
      headers: { authorization: '[REDACTED]', cookie: '[REDACTED]', 'set-cookie': '[REDACTED]' },
      refreshToken: '[REDACTED]',
      symbol: 'AAPL',
    });
  });

  it('masks account and card numbers to their last 4', () => {
    expect(
      redactor.redactObject({
        accountNumber: 'DE89370400440532013000',
        cardNumber: '4111 1111 1111 1111',
        'trading.account_id': 'ACC-778812',
      }),
    ).toEqual({
      accountNumber: '************3000',
      cardNumber: '************1111',
      'trading.account_id': '*****8812',
    });
  });

  it('replaces card numbers, bearer tokens, JWTs and URL passwords inside strings', () => {
    expect(redactor.redactString('paid with 4111-1111-1111-1111 ok')).toBe('paid with ************1111 ok');
    expect(redactor.redactString('order 1234567890123 qty 5')).toBe('order 1234567890123 qty 5');
    expect(redactor.redactString('auth Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig')).toBe(
      'auth Bearer [REDACTED]',
    );
    expect(redactor.redactString('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln here')).toBe('token [REDACTED] here');
    expect(redactor.redactString('postgres://trader:s3cret@db:5432/x')).toBe('postgres://trader:[REDACTED]@db:5432/x');
  });

  it('users add keys and patterns; replaceDefaults starts empty', () => {
    const custom = createRedactor(
      createRedactionPolicy({
        keys: ['X-Broker-Session'],
        patterns: [{ name: 'isin', pattern: /\bUS\d{10}\b/g, replace: () => '[ISIN]' }],
      }),
    );
    expect(custom.redactObject({ xBrokerSession: 'abc', note: 'bought US0378331005', password: 'p' })).toEqual({
      xBrokerSession: '[REDACTED]',
      note: 'bought [ISIN]',
      password: '[REDACTED]',
    });
    const only = createRedactor(createRedactionPolicy({ replaceDefaults: true, keys: ['pin'] }));
    expect(only.redactObject({ password: 'kept', pin: '1234' })).toEqual({ password: 'kept', pin: '[REDACTED]' });
  });

  it('is cycle-safe, depth-bounded and survives throwing getters', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    const hostile = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get: () => {
        throw new Error('no');
      },
    });
    const deep = JSON.parse(`${'{"a":'.repeat(30)}1${'}'.repeat(30)}`);
    expect(redactor.redactObject(cyclic)).toEqual({ name: 'a', self: '[Circular]' });
    expect(redactor.redactObject(hostile)).toEqual({ boom: '[Unreadable: getter threw Error: no]' });
    expect(JSON.stringify(redactor.redactObject(deep))).toContain('[Truncated: max depth]');
    const shared = { v: 1 };
    expect(redactor.redactObject({ a: shared, b: shared })).toEqual({ a: { v: 1 }, b: { v: 1 } });
  });

  it('keeps data behind toJSON, Maps and Sets instead of emptying them; binary data is described, not copied', () => {
    const at = new Date('2026-11-24T05:00:00.000Z');
    const throwing = {
      toJSON: () => {
        throw new Error('no');
      },
    };
    expect(
      redactor.redactObject({
        at,
        buf: Buffer.from('ab'),
        map: new Map<string, unknown>([
          ['password', 'x'],
          ['qty', 5],
        ]),
        set: new Set(['4111 1111 1111 1111']),
        throwing,
      }),
    ).toEqual({
      at: '2026-11-24T05:00:00.000Z',
      buf: '[Buffer: 2 bytes]',
      map: { password: '[REDACTED]', qty: 5 },
      set: ['************1111'],
      throwing: '[Unserializable: toJSON threw Error: no]',
    });
  });

  it('redactValue applies key treatment to scalars', () => {
    expect(redactor.redactValue('password', 'x')).toBe('[REDACTED]');
    expect(redactor.redactValue('cardNumber', 4111111111111111)).toBe('************1111');
    expect(redactor.redactValue('symbol', 'AAPL')).toBe('AAPL');
  });

  it('property: a Luhn-valid 16-digit card number never survives in a string', () => {
    const luhnCard = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 15, maxLength: 15 }).map((digits) => {
      let sum = 0;
      for (let index = 0; index < 15; index++) {
        let digit = digits[14 - index]!;
        if (index % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
        sum += digit;
      }
      return `${digits.join('')}${(10 - (sum % 10)) % 10}`;
    });
    fc.assert(
      fc.property(
        luhnCard,
        fc.string({ maxLength: 20 }).filter((text) => !/\d/.test(text)),
        (card, text) => {
          const out = redactor.redactString(`${text} ${card} ${text}`);
          expect(out).not.toContain(card);
          expect(out).toContain(card.slice(-4));
        },
      ),
    );
  });

  it('matches short names only as the last word of a key', () => {
    expect(
      redactor.redactObject({
        span: 's-1',
        timespan: 30,
        spin: 1,
        hotp_counter: 2,
        cardPin: '1234',
        'card-pan': '4111111111111111',
        otp: '999',
      }),
    ).toEqual({
      span: 's-1',
      timespan: 30,
      spin: 1,
      hotp_counter: 2,
      cardPin: '[REDACTED]',
      'card-pan': '************1111',
      otp: '[REDACTED]',
    });
  });

  it('helpers', () => {
    expect(normalizeKey('X-Api_Key')).toBe('xapikey');
    expect(maskLast4('12')).toBe('****');
  });

  it('shares one redactor per policy, and a shared redactor keeps redacting every call', () => {
    expect(createRedactor()).toBe(createRedactor(defaultRedactionPolicy));
    const custom = createRedactionPolicy({ keys: ['desk'] });
    expect(createRedactor(custom)).toBe(createRedactor(custom));
    expect(createRedactor(custom)).not.toBe(createRedactor());

    const secret = 'card 4111 1111 1111 1111';
    const again = redactionWork().strings;
    expect(redactor.redactString(secret)).toBe('card ************1111');
    expect(redactor.redactString(secret)).toBe('card ************1111');
    expect(redactionWork().strings - again).toBe(2);
  });
});
