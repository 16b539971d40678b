import fc from 'fast-check';

/**
 * fast-check generators of values with secrets planted at random places, for the property tests
 * of every signal: each generated value comes with the texts that must not appear in any output.
 */

/** A generated value and the secrets planted in it. */
export interface Planted<T = unknown> {
  readonly value: T;
  /** Texts that must not appear in the output (the secrets as planted, and their compact forms). */
  readonly forbidden: readonly string[];
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('');
const randomText = (alphabet: readonly string[], minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength, maxLength }).map((characters) => characters.join(''));
/** A random secret of letters and digits, long enough never to occur by chance elsewhere. */
export const secretWord = randomText(ALPHANUMERIC, 14, 24).map((text) => `Q${text}`);

function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let index = 0; index < body.length; index++) {
    let digit = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

const grouped = (compact: string, separator: string) => compact.replace(/(.{4})(?=.)/g, `$1${separator}`);

/** A Luhn-valid card number of 13 to 19 digits, compact or grouped by spaces or hyphens. */
export const cardNumber: fc.Arbitrary<Planted<string>> = fc
  .tuple(fc.integer({ min: 13, max: 19 }), randomText('0123456789'.split(''), 18, 18), fc.constantFrom('', ' ', '-'))
  .map(([length, digits, separator]) => {
    const body = `4${digits}`.slice(0, length - 1);
    const compact = `${body}${luhnCheckDigit(body)}`;
    const value = separator === '' ? compact : grouped(compact, separator);
    return { value, forbidden: [value, compact] };
  });

const IBAN_COUNTRIES: Readonly<Record<string, number>> = {
  DE: 22,
  GB: 22,
  FR: 27,
  NL: 18,
  CH: 21,
  NO: 15,
  MT: 31,
  IT: 27,
  ES: 24,
  PL: 28,
  BE: 16,
  LU: 20,
};

/** ISO 7064 MOD 97-10 check digits, computed with BigInt (independently of the scanner's streaming check). */
export function ibanCheckDigits(country: string, bban: string): string {
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  return String(98n - (BigInt(numeric) % 97n)).padStart(2, '0');
}

/** A valid IBAN of a common country (letters and digits in its BBAN), compact or in print format. */
export const iban: fc.Arbitrary<Planted<string>> = fc
  .tuple(
    fc.constantFrom(...Object.keys(IBAN_COUNTRIES)),
    randomText('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''), 30, 30),
    fc.boolean(),
  )
  .map(([country, filler, print]) => {
    const bban = `0${filler}`.slice(0, IBAN_COUNTRIES[country]! - 4);
    const compact = `${country}${ibanCheckDigits(country, bban)}${bban}`;
    const value = print ? grouped(compact, ' ') : compact;
    return { value, forbidden: [value, compact] };
  });

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** A JSON Web Token (`eyJ...`). */
export const jwt: fc.Arbitrary<Planted<string>> = fc
  .tuple(secretWord, randomText(ALPHANUMERIC, 20, 40))
  .map(([subject, signature]) => {
    const value = `${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url(JSON.stringify({ sub: subject }))}.${signature}`;
    return { value, forbidden: [value, subject] };
  });

/** `Bearer <token>` with an opaque token. */
export const bearer: fc.Arbitrary<Planted<string>> = fc
  .tuple(fc.constantFrom('Bearer', 'bearer', 'BEARER'), secretWord)
  .map(([scheme, token]) => ({ value: `${scheme} ${token}`, forbidden: [token] }));

/** `Basic <base64(user:password)>`. */
export const basic: fc.Arbitrary<Planted<string>> = fc
  .tuple(fc.constantFrom('Basic', 'basic'), randomText(ALPHANUMERIC, 1, 8), secretWord)
  .map(([scheme, user, password]) => {
    const encoded = Buffer.from(`${user}:${password}`).toString('base64');
    return { value: `${scheme} ${encoded}`, forbidden: [encoded, password] };
  });

/** A URL with a password in its user information. */
export const urlPassword: fc.Arbitrary<Planted<string>> = fc
  .tuple(
    fc.constantFrom('https', 'postgres', 'redis', 'amqp'),
    randomText(ALPHANUMERIC, 0, 8),
    secretWord,
    fc.constantFrom('broker.example', 'db:5432', '10.0.0.7'),
  )
  .map(([scheme, user, password, host]) => ({
    value: `${scheme}://${user}:${password}@${host}/x`,
    forbidden: [password],
  }));

/** One secret recognisable by its value. */
export const valueSecret: fc.Arbitrary<Planted<string>> = fc.oneof(cardNumber, iban, jwt, bearer, basic, urlPassword);

/** Text around a planted secret (separated from it by spaces), or text alone. */
export const filler = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('order o-1 filled', 'qty 100 @ 189.5', ''),
);

/** A string with a value secret somewhere in it. */
export const textWithSecret: fc.Arbitrary<Planted<string>> = fc
  .tuple(filler, valueSecret, filler)
  .map(([before, secret, after]) => ({ value: `${before} ${secret.value} ${after}`, forbidden: secret.forbidden }));

const SENSITIVE_KEYS = [
  'password',
  'passwd',
  'apiKey',
  'api_key',
  'x-api-key',
  'client_secret',
  'accessToken',
  'refresh-token',
  'authorization',
  'cookie',
  'session_id',
  'privateKey',
  'signature',
  'pin',
  'cvv',
  'passphrase',
];

/** A sensitive key under any casing and separator style. */
export const sensitiveKey = fc
  .tuple(
    fc.constantFrom(...SENSITIVE_KEYS),
    fc.array(fc.boolean(), { minLength: 32, maxLength: 32 }),
    fc.constantFrom('', 'broker.', 'db_', 'X-'),
  )
  .map(
    ([key, upper, prefix]) =>
      `${prefix}${key
        .split('')
        .map((character, index) => (upper[index] ? character.toUpperCase() : character.toLowerCase()))
        .join('')}`,
  );

/** A key and a secret bound to it by the key alone (no pattern would recognise the value). */
export const keyBoundSecret: fc.Arbitrary<Planted<[string, string]>> = fc
  .tuple(sensitiveKey, secretWord)
  .map(([key, secret]) => ({ value: [key, secret], forbidden: [secret] }));

/**
 * A generated value with what a bounded walk of it may cost: the strings it may scan (values,
 * keys, error parts; at most `maxItems` per collection) and the containers it may visit.
 */
export interface PlantedTree extends Planted {
  readonly strings: number;
  readonly nodes: number;
}

const leaf = (value: unknown, forbidden: readonly string[] = [], strings = 0): PlantedTree => ({
  value,
  forbidden,
  strings,
  nodes: 0,
});
const sum = (children: readonly PlantedTree[], key: 'strings' | 'nodes') =>
  children.reduce((total, child) => total + child[key], 0);
const allForbidden = (children: readonly PlantedTree[]) => children.flatMap((child) => child.forbidden);

/** Errors carrying a secret in their message, their cause or an AggregateError's list. */
function plantedError(message: Planted<string>, cause: PlantedTree | undefined, aggregate: boolean): PlantedTree {
  const options = cause === undefined ? undefined : { cause: cause.value };
  const error = aggregate
    ? new AggregateError(cause === undefined ? [] : [cause.value], message.value, options)
    : new Error(message.value, options);
  const children = cause === undefined ? [] : [cause];
  // type, message, stack and code of the error itself, plus what the cause (written twice for an
  // AggregateError: in `cause` and in `errors`) costs.
  const times = aggregate ? 2 : 1;
  return {
    value: error,
    forbidden: [...message.forbidden, ...allForbidden(children)],
    strings: 4 + times * sum(children, 'strings'),
    nodes: 1 + times * sum(children, 'nodes'),
  };
}

/** Values past every limit: a megabyte string, a sparse array of length 2^32-1, a megabyte key, a long array. */
function hugeValue(maxItems: number): fc.Arbitrary<PlantedTree> {
  return fc.oneof(
    textWithSecret.map((text) => leaf(`${text.value} ${'x'.repeat(1 << 20)}`, text.forbidden, 1)),
    textWithSecret.map((text) => {
      const sparse: unknown[] = [];
      sparse[2 ** 32 - 2] = 'never read';
      sparse[1] = text.value;
      return { value: sparse, forbidden: text.forbidden, strings: 1, nodes: 1 };
    }),
    keyBoundSecret.map(({ value: [key, secret], forbidden }) => ({
      value: { [`${'k'.repeat(1 << 20)}.${key}`]: secret },
      forbidden,
      strings: 2,
      nodes: 1,
    })),
    fc.constant({
      value: Array.from({ length: 100_000 }, (_, index) => `item ${index}`),
      forbidden: [],
      strings: maxItems,
      nodes: 1,
    }),
  );
}

/**
 * Arbitrary nested values (objects, arrays, Maps, Sets, errors) with secrets planted at random
 * places: in strings, under sensitive keys, as Map keys, in error messages and causes; and now
 * and then a value past every limit.
 *
 * @param maxItems - the walker's `maxItems` (how many entries of a long collection it reads)
 */
export function plantedTree(maxItems: number): fc.Arbitrary<PlantedTree> {
  const { tree } = fc.letrec<{ tree: PlantedTree; node: PlantedTree }>((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('node'), tie('node')),
    node: fc.oneof(
      fc
        .array(fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('id', 'qty', 'note')), tie('tree')), {
          maxLength: 5,
        })
        .map((entries) => {
          const children = entries.map(([, child]) => child);
          return {
            value: Object.fromEntries(entries.map(([key, child]) => [key, child.value])),
            forbidden: allForbidden(children),
            strings: entries.length + sum(children, 'strings'),
            nodes: 1 + sum(children, 'nodes'),
          };
        }),
      fc.tuple(keyBoundSecret, tie('tree')).map(
        ([
          {
            value: [key, secret],
            forbidden,
          },
          child,
        ]) => ({
          value: { [key]: secret, nested: child.value },
          forbidden: [...forbidden, ...child.forbidden],
          strings: 3 + child.strings,
          nodes: 1 + child.nodes,
        }),
      ),
      fc.array(tie('tree'), { maxLength: 5 }).map((children) => ({
        value: children.map((child) => child.value),
        forbidden: allForbidden(children),
        strings: sum(children, 'strings'),
        nodes: 1 + sum(children, 'nodes'),
      })),
      fc.tuple(valueSecret, tie('tree')).map(([secret, child]) => ({
        value: new Map([[secret.value, child.value]]),
        forbidden: [...secret.forbidden, ...child.forbidden],
        strings: 1 + child.strings,
        nodes: 1 + child.nodes,
      })),
      fc.array(tie('tree'), { maxLength: 3 }).map((children) => ({
        value: new Set(children.map((child) => child.value)),
        forbidden: allForbidden(children),
        strings: sum(children, 'strings'),
        nodes: 1 + sum(children, 'nodes'),
      })),
      fc
        .tuple(textWithSecret, fc.option(tie('tree'), { nil: undefined }), fc.boolean())
        .map(([message, cause, aggregate]) => plantedError(message, cause, aggregate)),
      hugeValue(maxItems),
    ),
  }));
  return tree;
}

const scalar: fc.Arbitrary<PlantedTree> = fc.oneof(
  textWithSecret.map((text) => leaf(text.value, text.forbidden, 1)),
  filler.map((text) => leaf(text, [], 1)),
  fc
    .oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null))
    .map((value) => leaf(value)),
);
