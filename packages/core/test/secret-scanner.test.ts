import fc from 'fast-check';
import * as ibantools from 'ibantools';
import { describe, expect, it } from 'vitest';
import { createRedactionPolicy, createRedactor, DEFAULT_REDACTION_PATTERNS } from '@jts/core';
import { redactionWork } from '@jts/core/internal';
import { cardNumber, ibanCheckDigits, textWithSecret, valueSecret } from '../../../test/support/planted-secrets.js';
import { IBAN_LENGTHS } from '../src/iban-recogniser.js';

const redactor = createRedactor();
// IBANs alone: a broken IBAN's digit groups may still be a Luhn-valid card number.
const ibanOnly = createRedactor(
  createRedactionPolicy({
    replaceDefaults: true,
    patterns: DEFAULT_REDACTION_PATTERNS.filter((pattern) => pattern.name === 'iban'),
  }),
);
/** Characters the scanner examined to redact `text` whole (no length bound). */
function readsFor(text: string): number {
  const before = redactionWork().reads;
  redactor.redactString(text, text.length);
  return redactionWork().reads - before;
}

// Inputs that make backtracking patterns or a careless scanner re-read the same text: every
// recogniser's worst case, and the `eyJ-` run that made the old JWT expression quadratic.
const ADVERSARIAL: Readonly<Record<string, string>> = {
  'eyJ- (old JWT expression: quadratic)': 'eyJ-',
  'eyJ repeated': 'eyJ',
  'headers without payload': 'eyJabcdef.',
  'header and payload without signature dot': 'eyJabcdef.eyJabcdef-',
  'digits one by one (card worst case)': '1 ',
  'digit groups': '4111-',
  '19 digits then a letter': '4111111111111111111a ',
  'IBAN starts (IBAN worst case)': 'MT31 ',
  'IBAN-like words': 'AB12',
  'bearer words': 'Bearer ',
  'bearer with letters': 'bearer abc ',
  'basic words': 'basic ab ',
  'URL starts without @': '//a:',
  'URL user without colon': '//aaaa',
  slashes: '/',
  'IBAN starts that end at a space (mod 97 runs)': 'BE12 ',
  'single letters and digits': 'A 1 ',
  'everything at once': 'eyJ-1 MT31 //a:Bearer x4111-',
};

describe('the secret scanner does linear work (counted, not timed)', () => {
  for (const [name, unit] of Object.entries(ADVERSARIAL)) {
    it(`${name}: at most 30 reads per character, growing linearly from 16 to 256 KiB`, () => {
      const small = unit.repeat(Math.ceil((16 * 1024) / unit.length));
      const large = unit.repeat(Math.ceil((256 * 1024) / unit.length));
      const smallReads = readsFor(small);
      const largeReads = readsFor(large);
      expect(smallReads / small.length).toBeLessThanOrEqual(30);
      expect(largeReads / large.length).toBeLessThanOrEqual(30);
      // 16 times the input, at most 16 times the work (plus rounding): no superlinear term.
      expect(largeReads / smallReads).toBeLessThan(16.5 * (large.length / small.length / 16));
    });
  }

  it('any mix of adversarial pieces and secrets: at most 30 reads per character (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(...Object.values(ADVERSARIAL)),
      valueSecret.map((secret) => secret.value),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(piece, fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 30 }),
        (parts) => {
          const text = parts.map(([part, times]) => part.repeat(times)).join('');
          fc.pre(text.length > 0);
          expect(readsFor(text) / text.length).toBeLessThanOrEqual(30 + 2 / text.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a string is bounded before it is scanned: a megabyte costs what the limit and its lookahead cost', () => {
    const text = 'eyJ-'.repeat(256 * 1024);
    const before = redactionWork().reads;
    const out = redactor.redactString(text, 1000);
    expect(out).toBe(`${text.slice(0, 1000)}...[truncated ${text.length - 1000} chars]`);
    expect(redactionWork().reads - before).toBeLessThanOrEqual(30 * (1000 + 1024));
  });
});

describe('secrets recognised by value', () => {
  it('masks IBANs, compact or in print format, in free text (mod-97 checked)', () => {
    expect(redactor.redactString('refund to DE89 3704 0044 0532 0130 00 today')).toBe(
      'refund to ************3000 today',
    );
    expect(redactor.redactString('iban=GB29NWBK60161331926819;')).toBe('iban=************6819;');
    expect(redactor.redactString('NO9386011117947 and MT84MALT011000012345MTLCAST001S')).toBe(
      '***********7947 and ************001S',
    );
    // One character changed: the check fails and nothing is masked.
    expect(redactor.redactString('GB29 NWBK 6016 1331 9268 18')).toBe('GB29 NWBK 6016 1331 9268 18');
    // An unknown country, or a known one with the wrong length, is not an IBAN.
    expect(redactor.redactString('XX89370400440532013000 DE8937040044053201300')).toBe(
      'XX89370400440532013000 DE8937040044053201300',
    );
  });

  it('knows the IBAN length of every country ibantools knows', () => {
    const specifications = ibantools.getCountrySpecifications();
    const expected = Object.entries(specifications)
      .filter(([, specification]) => specification.chars)
      .map(([country, specification]) => [country, specification.chars]);
    expect(expected.length).toBeGreaterThan(90);
    expect(Object.fromEntries(expected)).toEqual(Object.fromEntries(IBAN_LENGTHS));
  });

  it('masks every valid IBAN ibantools composes, and none with one character changed (property)', () => {
    const specifications = ibantools.getCountrySpecifications();
    const countries = Object.keys(specifications).filter(
      (country) => specifications[country]?.bban_regexp && IBAN_LENGTHS.has(country),
    );
    const generated = fc
      .constantFrom(...countries)
      .chain((country) =>
        fc.tuple(fc.constant(country), fc.stringMatching(new RegExp(specifications[country]!.bban_regexp!))),
      )
      .map(([country, bban]) => ibantools.composeIBAN({ countryCode: country, bban }))
      .filter((value): value is string => typeof value === 'string' && ibantools.isValidIBAN(value));
    fc.assert(
      fc.property(generated, fc.boolean(), fc.nat(), (value, print, at) => {
        const text = print ? ibantools.friendlyFormatIBAN(value)! : value;
        expect(redactor.redactString(`paid ${text} ok`)).toBe(
          `paid ${'*'.repeat(Math.min(value.length - 4, 12))}${value.slice(-4)} ok`,
        );
        // Change one character of the BBAN (to another of the same kind): mod 97 catches it.
        const index = 4 + (at % (value.length - 4));
        const original = value[index]!;
        const changed = /\d/.test(original)
          ? String((Number(original) + 1) % 10)
          : original === 'Z'
            ? 'A'
            : String.fromCharCode(original.charCodeAt(0) + 1);
        const broken = `${value.slice(0, index)}${changed}${value.slice(index + 1)}`;
        expect(ibantools.isValidIBAN(broken)).toBe(false);
        expect(ibanOnly.redactString(`paid ${broken} ok`)).toBe(`paid ${broken} ok`);
      }),
      { numRuns: 120 },
    );
  });

  it('card numbers: Luhn-valid numbers of 13 to 19 digits are masked, one wrong digit is not', () => {
    fc.assert(
      fc.property(cardNumber, (card) => {
        const compact = card.forbidden[1]!;
        expect(redactor.redactString(`card ${card.value} used`)).toBe(
          `card ${'*'.repeat(Math.min(compact.length - 4, 12))}${compact.slice(-4)} used`,
        );
        // Compact: the only end is the last digit (grouped, a shorter prefix may still pass Luhn).
        const wrong = `${compact.slice(0, -1)}${(Number(compact.at(-1)) + 1) % 10}`;
        expect(redactor.redactString(`card ${wrong} used`)).toBe(`card ${wrong} used`);
      }),
      { numRuns: 300 },
    );
    // A card number followed by another group (a year) or after one is still found.
    expect(redactor.redactString('4111 1111 1111 1111 2024')).toBe('************1111 2024');
    expect(redactor.redactString('ref 1234 4111 1111 1111 1111')).toBe('ref 1234 ************1111');
  });

  it('bearer and basic credentials, but not the words "bearer" and "basic" in a sentence', () => {
    expect(redactor.redactString('Authorization: Basic dXNlcjpwYXNz')).toBe('Authorization: Basic [REDACTED]');
    expect(redactor.redactString('auth BEARER  abc.def')).toBe('auth BEARER [REDACTED]');
    expect(redactor.redactString('the bearer of this bond uses basic auth')).toBe(
      'the bearer of this bond uses basic auth',
    );
  });

  it('JWTs anywhere a word starts, URL passwords with or without a user', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';
    expect(redactor.redactString(`x-${token} (${token})`)).toBe('x-[REDACTED] ([REDACTED])');
    expect(redactor.redactString(`x${token}`)).toBe(`x${token}`);
    expect(redactor.redactString('redis://:s3cret@cache:6379 and https://u:p:q@h/x')).toBe(
      'redis://:[REDACTED]@cache:6379 and https://u:[REDACTED]@h/x',
    );
  });

  it('nothing planted survives, the result is stable under a second pass, and the custom censor is used (property)', () => {
    const censored = createRedactor(createRedactionPolicy({ censor: '<hidden>' }));
    fc.assert(
      fc.property(fc.array(textWithSecret, { minLength: 1, maxLength: 4 }), (parts) => {
        const text = parts.map((part) => part.value).join(' | ');
        const out = redactor.redactString(text);
        for (const secret of parts.flatMap((part) => part.forbidden)) expect(out).not.toContain(secret);
        expect(redactor.redactString(out)).toBe(out);
        expect(censored.redactString(text)).not.toContain('[REDACTED]');
      }),
      { numRuns: 500 },
    );
  });

  it('a policy with a subset of the default patterns recognises only those', () => {
    const cardsOnly = createRedactor(
      createRedactionPolicy({
        replaceDefaults: true,
        patterns: DEFAULT_REDACTION_PATTERNS.filter((pattern) => pattern.name === 'card-number'),
      }),
    );
    const country = 'DE';
    const bban = '370400440532013000';
    const value = `${country}${ibanCheckDigits(country, bban)}${bban}`;
    expect(cardsOnly.redactString(`${value} 4111 1111 1111 1111 Bearer abc.def`)).toBe(
      `${value} ************1111 Bearer abc.def`,
    );
  });
});
