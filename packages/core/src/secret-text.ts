/**
 * What the secret recognisers share: the character classes they test (by UTF-16 code, no regular
 * expression), the work meter they report to, and the shape of one recogniser.
 */

/** Work counter of the scanner: characters examined, added up over calls. */
export interface ScanMeter {
  reads: number;
}

/** One kind of secret recognised by value, in one left-to-right pass of bounded work per character. */
export interface SecretRecogniser {
  /** Name of the default pattern it implements (`card-number`, `iban`, ...). */
  readonly name: string;
  /**
   * A regular-expression source without unbounded repetition (so the engine's work per start
   * position is bounded by its width) that every secret of this kind matches: a string without a
   * match is passed over without running the recogniser.
   */
  readonly hint: string;
  /**
   * Replaces every secret of this kind in `value` and adds the characters examined to `meter.reads`.
   *
   * @returns `value` itself when nothing was found
   */
  replaceAll(value: string, censor: string, meter: ScanMeter): string;
}

/** `0`-`9`. */
export const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** `A`-`Z` or `a`-`z`. */
export const isLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/** A regular-expression word character (`[A-Za-z0-9_]`); `NaN` (past either end) is not one. */
export const isWordCharacter = (code: number): boolean => isDigit(code) || isLetter(code) || code === 95;

/** Whether `index` is at a word boundary on its left (the start, or after a non-word character). */
export const boundaryBefore = (value: string, index: number): boolean =>
  index === 0 || !isWordCharacter(value.charCodeAt(index - 1));

/** Whitespace as `\s` defines it. */
export function isSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return (
    code === 160 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * Masks all but the last 4 characters (digits and letters) of a value.
 *
 * @param value - e.g. a card or account number
 * @returns `****1234`-style text; short values are fully masked
 * @example
 * maskLast4('4111 1111 1111 1111'); // '************1111'
 */
export function maskLast4(value: string): string {
  // From the end: the last 4 kept characters and whether up to 12 more exist, so a huge value
  // costs what its tail costs.
  let kept = '';
  let seen = 0;
  for (let index = value.length - 1; index >= 0 && seen < 16; index--) {
    const code = value.charCodeAt(index);
    if (code === 45 || isSpace(code)) continue;
    if (seen < 4) kept = value[index] + kept;
    seen++;
  }
  return seen <= 4 ? '****' : `${'*'.repeat(seen - 4)}${kept}`;
}
