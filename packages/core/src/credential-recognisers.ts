import { Buffer } from 'node:buffer';
import { type ScanMeter, type SecretRecogniser, isDigit, isLetter, isSpace, isWordCharacter } from './secret-text.js';

/** One step of a search: where to look next, and the span `[start, end)` to replace, if any. */
interface Step {
  readonly next: number;
  readonly match?: { readonly start: number; readonly end: number; readonly replacement?: string };
}

/** Runs `find` from left to right and replaces every span it reports (by the censor text by default). */
function replaceEach(
  value: string,
  censor: string,
  meter: ScanMeter,
  find: (value: string, from: number, meter: ScanMeter) => Step | undefined,
): string {
  let out = '';
  let copied = 0;
  let from = 0;
  while (from < value.length) {
    const step = find(value, from, meter);
    if (step === undefined) break;
    if (step.match !== undefined) {
      out += value.slice(copied, step.match.start) + (step.match.replacement ?? censor);
      copied = step.match.end;
    }
    from = step.next;
  }
  return copied === 0 ? value : out + value.slice(copied);
}

/** Advances over characters accepted by `accept`; returns the first index not accepted. */
function skip(value: string, from: number, accept: (code: number) => boolean, meter: ScanMeter): number {
  let index = from;
  while (index < value.length && accept(value.charCodeAt(index))) index++;
  meter.reads += index - from + 1;
  return index;
}

// token68 of RFC 9110 (the credentials of an Authorization header), then its padding.
const isTokenCharacter = (code: number) =>
  isDigit(code) ||
  isLetter(code) ||
  code === 45 ||
  code === 46 ||
  code === 95 ||
  code === 126 ||
  code === 43 ||
  code === 47;
const SCHEME_HINT = '\\b[Bb](?:[Ee][Aa][Rr][Ee][Rr]|[Aa][Ss][Ii][Cc])';
const SCHEME = new RegExp(SCHEME_HINT, 'g');

// A word after "bearer" or "basic" in a sentence ("the bearer of", "basic auth") is not a
// credential: a token shorter than 16 characters that reads as a word (lower case, perhaps
// capitalised) is left, unless (Basic) it decodes to `user:password`.
const WORD = /^[A-Z]?[a-z]+$/;
function isCredential(scheme: string, token: string): boolean {
  if (token.length >= 16 || !WORD.test(token)) return true;
  return scheme.length === 5 && Buffer.from(token, 'base64').includes(58);
}

/**
 * `Bearer <token>` and `Basic <credentials>` (any case): the credentials become the censor text,
 * the scheme word stays. Worst case: at most 3 reads per input character (each scheme word, its
 * spaces and its token read once after the search reaches them).
 */
export const bearerTokenRecogniser: SecretRecogniser = {
  name: 'bearer-token',
  hint: `${SCHEME_HINT}\\s`,
  replaceAll: (value, censor, meter) =>
    replaceEach(value, censor, meter, (text, from) => {
      SCHEME.lastIndex = from;
      const found = SCHEME.exec(text);
      if (found === null) return void (meter.reads += text.length - from);
      meter.reads += found.index - from + found[0].length;
      const afterScheme = found.index + found[0].length;
      const tokenStart = skip(text, afterScheme, isSpace, meter);
      const tokenEnd = skip(text, tokenStart, isTokenCharacter, meter);
      const end = skip(text, tokenEnd, (code) => code === 61, meter);
      if (
        tokenStart === afterScheme ||
        tokenEnd === tokenStart ||
        !isCredential(found[0], text.slice(tokenStart, tokenEnd))
      )
        return { next: afterScheme };
      return { next: end, match: { start: afterScheme, end, replacement: ` ${censor}` } };
    }),
};

const isBase64Url = (code: number) => isDigit(code) || isLetter(code) || code === 45 || code === 95;

/**
 * JSON Web Tokens: `eyJ` (a JSON header) at a word boundary, at least 5 more base64url characters,
 * a dot, at least 5, a dot and the signature. A candidate that fails fails for every later `eyJ`
 * in the same run of base64url text too (they share its end), so the search goes on after that
 * run: each character is read at most three times, including the search.
 */
export const jwtRecogniser: SecretRecogniser = {
  name: 'jwt',
  hint: String.raw`\beyJ`,
  replaceAll: (value, censor, meter) =>
    replaceEach(value, censor, meter, (text, from) => {
      let start = text.indexOf('eyJ', from);
      while (start > 0 && isWordCharacter(text.charCodeAt(start - 1))) start = text.indexOf('eyJ', start + 3);
      meter.reads += (start === -1 ? text.length : start + 3) - from;
      if (start === -1) return undefined;
      const headerEnd = skip(text, start + 3, isBase64Url, meter);
      if (headerEnd - start < 8 || text.charCodeAt(headerEnd) !== 46) return { next: headerEnd };
      const payloadEnd = skip(text, headerEnd + 1, isBase64Url, meter);
      // The payload may itself start a token: search again from it.
      if (payloadEnd - headerEnd - 1 < 5 || text.charCodeAt(payloadEnd) !== 46) return { next: headerEnd + 1 };
      const end = skip(text, payloadEnd + 1, isBase64Url, meter);
      return { next: end, match: { start, end } };
    }),
};

const isUserCharacter = (code: number) => code !== 47 && code !== 58 && code !== 64 && !isSpace(code);
const isPasswordCharacter = (code: number) => code !== 47 && code !== 64 && !isSpace(code);

/**
 * The password of a URL's user information (`scheme://user:password@host`, the user may be
 * empty): replaced by the censor text. At most 4 reads per input character (`////...`).
 */
export const urlPasswordRecogniser: SecretRecogniser = {
  name: 'url-password',
  hint: '\\/\\/',
  replaceAll: (value, censor, meter) =>
    replaceEach(value, censor, meter, (text, from) => {
      const start = text.indexOf('//', from);
      meter.reads += (start === -1 ? text.length : start + 2) - from;
      if (start === -1) return undefined;
      const colon = skip(text, start + 2, isUserCharacter, meter);
      // No other `//` can start inside the user part (it holds no `/`), only at its second slash
      // (`///`) or where it stopped.
      if (text.charCodeAt(colon) !== 58) return { next: colon === start + 2 ? start + 1 : colon };
      const at = skip(text, colon + 1, isPasswordCharacter, meter);
      if (at === colon + 1 || text.charCodeAt(at) !== 64) return { next: at };
      return { next: at + 1, match: { start: colon + 1, end: at } };
    }),
};
