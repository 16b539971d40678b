import fc from 'fast-check';
import { createRedactionPolicy } from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger, closeLoggers, expectValidLines } from './helpers/capture.js';

afterEach(closeLoggers);

describe('redaction with the shared policy', () => {
  it('redacts credentials, tokens and auth headers, and masks account and card numbers', () => {
    const { log, capture } = captureLogger();
    log.info(
      {
        password: 'hunter2',
        clientSecret: 's3cr3t',
        apiKey: 'ak-123',
        'x-api-key': 'ak-456',
        accessToken: 'tok',
        headers: { authorization: 'Bearer abc.def', cookie: 'session=1', 'set-cookie': ['a=b'], accept: 'json' },
        accountNumber: 'DE89370400440532013000',
        cardNumber: '4111 1111 1111 1111',
        note: 'paid with 4111-1111-1111-1111 via https://bob:pw@broker.example/api',
        qty: 5,
      },
      'login with Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc and card 5500005555555559',
    );
    const [line] = expectValidLines(capture);
    expect(line).toMatchObject({
      password: '[REDACTED]',
      clientSecret: '[REDACTED]',
      apiKey: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      accessToken: '[REDACTED]',
      headers: { authorization: '[REDACTED]', cookie: '[REDACTED]', 'set-cookie': '[REDACTED]', accept: 'json' },
      accountNumber: '************3000',
      cardNumber: '************1111',
      qty: 5,
    });
    expect(line?.note).toBe('paid with ************1111 via https://bob:[REDACTED]@broker.example/api');
    expect(line?.message).toBe('login with Bearer [REDACTED] and card ************5559');
    expect(capture.raw.join('')).not.toMatch(/hunter2|s3cr3t|ak-123|session=1|4111 1111|5500005555555559/);
  });

  it('redacts inside child bindings, arrays and nested objects without touching the caller object', () => {
    const { log, capture } = captureLogger();
    const order = { id: 'o-1', legs: [{ venue: 'X', credentials: { user: 'u' } }], broker: { token: 't' } };
    log.child({ session: { password: 'p' } }).info({ order }, 'nested');
    const [line] = expectValidLines(capture);
    expect(line).toMatchObject({
      session: { password: '[REDACTED]' },
      order: { id: 'o-1', legs: [{ venue: 'X', credentials: '[REDACTED]' }], broker: { token: '[REDACTED]' } },
    });
    expect(order.broker.token).toBe('t');
  });

  it('takes a policy built with createRedactionPolicy (keys, mask keys, patterns, censor) plus pino paths in redactPaths', () => {
    const { log, capture } = captureLogger({
      redaction: createRedactionPolicy({
        keys: ['brokerSession'],
        maskKeys: ['iban_code'],
        patterns: [{ name: 'internal-ref', pattern: /\bREF-\d{6}\b/g, replace: () => 'REF-******' }],
        censor: '<hidden>',
      }),
      redactPaths: ['order.notes'],
    });
    log.info(
      {
        brokerSession: 'bs',
        ibanCode: 'GB29NWBK60161331926819',
        order: { notes: 'call me', id: 'o-1' },
        password: 'x',
      },
      'see REF-123456',
    );
    const [line] = expectValidLines(capture);
    expect(line).toMatchObject({
      brokerSession: '<hidden>',
      ibanCode: '************6819',
      order: { notes: '<hidden>', id: 'o-1' },
      password: '<hidden>',
    });
    expect(line?.message).toBe('see REF-******');
  });

  it('sanitises what caller serializers return', () => {
    const { log, capture } = captureLogger({
      serializers: {
        request: (request: { url: string; apiKey: string }) => ({
          url: request.url,
          apiKey: request.apiKey,
          note: 'a\u0085b',
        }),
      },
    });
    log.info({ request: { url: '/orders', apiKey: 'k-1', ignored: true } }, 'serialised');
    expect(expectValidLines(capture)[0]?.request).toEqual({ url: '/orders', apiKey: '[REDACTED]', note: 'a\\u0085b' });
  });
});

describe('log injection', () => {
  it('keeps CR, LF and ANSI escapes inside one JSON line', () => {
    const { log, capture } = captureLogger();
    const forged = 'ok\n{"log.level":"info","message":"admin logged in"}\r\n\u001b[2J\u001b[31mred';
    log.info({ user: forged, [forged]: 1 }, forged);
    expect(capture.lines()).toHaveLength(1);
    const raw = capture.raw.join('');
    expect(raw.slice(0, -1)).not.toMatch(/[\n\r\u001b]/);
    const [line] = expectValidLines(capture);
    expect(line?.message).toBe(forged);
    expect(line?.user).toBe(forged);
  });

  it('writes C1 controls and U+2028/U+2029 as visible escapes, in values and keys', () => {
    const { log, capture } = captureLogger();
    log.info({ 'a\u0085b': 'next\u0085line \u009b31m \u2028 \u2029' }, 'csi \u009b2J nel \u0085');
    const raw = capture.raw.join('');
    expect(raw).not.toMatch(/[\u0080-\u009f\u2028\u2029]/);
    const [line] = expectValidLines(capture);
    expect(line?.message).toBe('csi \\u009b2J nel \\u0085');
    expect(line?.['a\\u0085b']).toBe('next\\u0085line \\u009b31m \\u2028 \\u2029');
  });

  it('never lets any string forge a line or carry a raw control character (property)', () => {
    const { log, capture } = captureLogger();
    const text = fc.string({ unit: 'binary', maxLength: 60 });
    fc.assert(
      fc.property(text, text, text, (message, key, value) => {
        capture.raw.length = 0;
        log.info({ [key]: value, nested: { [key]: [value] } }, message);
        const raw = capture.raw.join('');
        expect(raw.endsWith('\n')).toBe(true);
        expect(raw.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u0080-\u009f\u2028\u2029]/);
        expect(capture.lines()).toHaveLength(1);
        expectValidLines(capture);
      }),
      { numRuns: 300 },
    );
  });
});
