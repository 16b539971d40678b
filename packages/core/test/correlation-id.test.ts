import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORRELATION_ID_PATTERN, correlationIdStats, extractContext, newCorrelationId } from '@jts/core';
import { correlationIdOfRequest, isGeneratedCorrelationId } from '@jts/core/internal';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newCorrelationId', () => {
  it('gives distinct version 4 UUIDs in lower case across many draws of the pool (128 IDs per draw)', () => {
    const ids = new Set<string>();
    const before = correlationIdStats().generated;
    for (let index = 0; index < 5000; index++) {
      const id = newCorrelationId();
      expect(id).toMatch(UUID_V4);
      expect(isGeneratedCorrelationId(id)).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(5000);
    expect(correlationIdStats().generated).toBe(before + 5000);
  });

  it('uses every random bit outside the version and variant (no digit stuck over 5,000 IDs)', () => {
    // Each free hex position sees all 16 digits, the variant position exactly 8, 9, a and b.
    const seen = Array.from({ length: 36 }, () => new Set<string>());
    for (let index = 0; index < 5000; index++) {
      const id = newCorrelationId();
      for (let at = 0; at < 36; at++) seen[at]!.add(id[at]!);
    }
    for (let at = 0; at < 36; at++) {
      if ([8, 13, 18, 23].includes(at)) expect([...seen[at]!]).toEqual(['-']);
      else if (at === 14) expect([...seen[at]!]).toEqual(['4']);
      else if (at === 19) expect([...seen[at]!].sort()).toEqual(['8', '9', 'a', 'b']);
      else expect(seen[at]!.size).toBe(16);
    }
  });
});

describe('correlationIdOfRequest (the HTTP adapters path)', () => {
  it('accepts the header, falls back to baggage, and generates otherwise', () => {
    expect(correlationIdOfRequest({ 'x-correlation-id': 'ord-1:a' }, 'x-correlation-id')).toBe('ord-1:a');
    expect(correlationIdOfRequest({ 'x-request-id': ['r-1', 'r-2'] }, 'x-request-id')).toBe('r-1');
    expect(correlationIdOfRequest({ baggage: 'a=1, jts.correlation_id=abc%3A1' }, 'x-correlation-id')).toBe('abc:1');
    expect(correlationIdOfRequest({}, 'x-correlation-id')).toMatch(UUID_V4);
  });

  it('never takes a value from the prototype chain', () => {
    const inherited = Object.create({ 'x-correlation-id': 'from-prototype', baggage: 'jts.correlation_id=proto' });
    expect(correlationIdOfRequest(inherited, 'x-correlation-id')).toMatch(UUID_V4);
  });

  it('chooses what extractContext chooses for any lower-case Node headers', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 140 }),
      fc.constantFrom('ord-1', 'a'.repeat(128), 'a'.repeat(129), 'x\r\nSet-Cookie: 1', ''),
    );
    fc.assert(
      fc.property(
        fc.option(value, { nil: undefined }),
        fc.option(fc.oneof(value, fc.constant('jts.correlation_id=abc-1'), fc.constant('jts.correlation_id=%0A')), {
          nil: undefined,
        }),
        (id, baggage) => {
          const headers: Record<string, string> = {};
          if (id !== undefined) headers['x-correlation-id'] = id;
          if (baggage !== undefined) headers.baggage = baggage;
          const expected = extractContext(headers);
          const actual = correlationIdOfRequest(headers, 'x-correlation-id');
          expect(actual).toMatch(CORRELATION_ID_PATTERN);
          if (expected.source === 'generated') expect(actual).toMatch(UUID_V4);
          else expect(actual).toBe(expected.correlationId);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('extractContext on carriers of any case', () => {
  it('finds a mixed-case own key, and ignores enumerable keys inherited from a prototype', () => {
    expect(extractContext({ 'X-Correlation-Id': 'mixed-1' }).correlationId).toBe('mixed-1');
    const inherited = Object.create({ 'X-Correlation-ID': 'from-prototype' });
    expect(extractContext(inherited).source).toBe('generated');
  });
});
