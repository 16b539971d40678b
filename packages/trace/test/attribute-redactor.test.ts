import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { createValueWalker } from '@jts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAttributeRedactor } from '../src/internal/attribute-redactor.js';

const key = fc.constantFrom('trading.symbol', 'trading.account_id', 'password', 'note', 'correlation_id', 'tags');
const scalar = fc.constantFrom<AttributeValue>(
  'AAPL',
  'o-1',
  'card 4111 1111 1111 1111',
  'Bearer abc.def',
  'https://u:p@h/x',
  'ACC-12345678',
  'IBAN GB29 NWBK 6016 1331 9268 19',
  '',
  42,
  true,
);
const value = fc.oneof(
  scalar,
  fc.array(fc.constantFrom('plain', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'x'), { maxLength: 3 }),
);
const spanAttributes = fc.dictionary(key, value, { maxKeys: 6 });

// What redacting from scratch gives: a fresh walker applied to each attribute.
function fromScratch(attributes: Attributes): Attributes {
  const walker = createValueWalker();
  const out: Attributes = {};
  for (const [name, item] of Object.entries(attributes)) out[name] = walker.keyed(name, item) as AttributeValue;
  return out;
}

describe('createAttributeRedactor (per-key memo of the last value)', () => {
  it('gives what redacting each span from scratch gives, over sequences of spans that repeat keys and values', () => {
    fc.assert(
      fc.property(fc.array(spanAttributes, { minLength: 1, maxLength: 20 }), (spans) => {
        const redact = createAttributeRedactor(createValueWalker());
        for (const attributes of spans) {
          const copy = structuredClone(attributes);
          redact(copy);
          expect(copy).toEqual(fromScratch(attributes));
        }
      }),
    );
  });

  it('does not carry a result over to another key or to a changed value', () => {
    const redact = createAttributeRedactor(createValueWalker());
    const first: Attributes = { note: 'ACC-12345678', password: 'ACC-12345678', 'trading.account_id': 'ACC-12345678' };
    redact(first);
    expect(first).toEqual({ note: 'ACC-12345678', password: '[REDACTED]', 'trading.account_id': '*******5678' });
    const second: Attributes = {
      note: 'card 4111 1111 1111 1111',
      password: 'x',
      'trading.account_id': 'ACC-99991234',
    };
    redact(second);
    expect(second).toEqual({
      note: 'card ************1111',
      password: '[REDACTED]',
      'trading.account_id': '*******1234',
    });
  });

  it('cuts attribute keys and values at the limits before redacting them', () => {
    const redact = createAttributeRedactor(createValueWalker({ limits: { maxStringLength: 100, maxKeyLength: 20 } }));
    const longKey = `${'k'.repeat(5000)}.password`;
    const attributes: Attributes = { 'url.query': `q=${'x'.repeat(50_000)}`, [longKey]: 'hunter2' };
    redact(attributes);
    expect(attributes['url.query']).toBe(`q=${'x'.repeat(98)}...[truncated 49902 chars]`);
    expect(Object.keys(attributes)).toEqual(['url.query', `${'k'.repeat(20)}...[truncated 4989 chars]`]);
    // Classified by its tail, the long key's value is still redacted.
    expect(Object.values(attributes)[1]).toBe('[REDACTED]');
  });
});
