import { createRedactionPolicy, createRedactor, defaultRedactionPolicy } from '@jts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStringRedactor } from '../src/internal/string-redactor.js';

// Strings built from pieces that trigger (or nearly trigger) each default pattern.
const piece = fc.constantFrom(
  '4111 1111 1111 1111', '4111-1111-1111-1111', '4111111111111111', '1234567890123', '12345 678901234', '4111  1111 1111 1111',
  'Bearer abc.def', 'basic dXNlcjpwYXNz', 'BEARER x', 'bearer', 'Basic',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'eyJ', 'xeyJabcde.fghij.k',
  'https://user:secret@host/x', '//a:b@', 'mailto:a@b', '//', '@',
  ' ', '\t', '-', 'o-1', 'AAPL', '3f1c2a9e-8b7d-4c6e-9a1b-2c3d4e5f6a7b',
);
const text = fc.oneof(fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 6 }).map((parts) => parts.join('')), fc.string({ maxLength: 60 }));

describe('createStringRedactor (pre-scanned default patterns)', () => {
  it('gives exactly what core\'s redactString gives, for arbitrary strings', () => {
    const ours = createStringRedactor(defaultRedactionPolicy);
    const core = createRedactor(defaultRedactionPolicy);
    let changed = 0;
    fc.assert(
      fc.property(text, (value) => {
        const expected = core.redactString(value);
        if (expected !== value) changed++;
        expect(ours(value)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
    expect(changed).toBeGreaterThan(100);
  });

  it('always runs custom patterns', () => {
    const policy = createRedactionPolicy({ patterns: [{ name: 'venue-key', pattern: /VK-[0-9]+/g, replace: () => 'VK-***' }] });
    expect(createStringRedactor(policy)('key VK-123 used')).toBe('key VK-*** used');
  });
});
