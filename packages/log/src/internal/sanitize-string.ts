import { DEFAULT_REDACTION_PATTERNS, type Redactor } from '@jts/core';

/**
 * Characters JSON leaves raw although some viewers treat them as line breaks or terminal
 * controls: C1 controls (U+0080-U+009F, which include CSI U+009B and NEL U+0085) and the Unicode
 * line and paragraph separators. C0 controls (CR, LF, ESC) are escaped by JSON itself.
 */
const UNSAFE_CHARACTERS = /[\u0080-\u009f\u2028\u2029]/g;
const HAS_UNSAFE_CHARACTER = /[\u0080-\u009f\u2028\u2029]/;

// A necessary condition for any default redaction pattern (4 digits for a card number, the
// Bearer/Basic scheme, a JWT header, the `@` of a URL password) or an unsafe character. One
// regular-expression scan instead of five on the usual string that needs nothing.
const DEFAULT_PREFILTER = /\d[ -]?\d[ -]?\d[ -]?\d|bearer|basic|eyJ|@|[\u0080-\u009f\u2028\u2029]/i;

const escapeCharacter = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Turns C1 controls and U+2028/U+2029 into visible `\uXXXX` text. */
export function escapeUnsafeCharacters(value: string): string {
  return HAS_UNSAFE_CHARACTER.test(value) ? value.replace(UNSAFE_CHARACTERS, escapeCharacter) : value;
}

/** Whether a string holds a character {@link escapeUnsafeCharacters} would rewrite. */
export function hasUnsafeCharacter(value: string): boolean {
  return HAS_UNSAFE_CHARACTER.test(value);
}

/** Cuts a string to `limit` UTF-16 units (never inside a surrogate pair) and says how much went. */
export function truncateString(value: string, limit: number): string {
  let end = limit;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}...[truncated ${value.length - end} chars]`;
}

/** Sanitises one string value: length limit, redaction patterns, unsafe characters. */
export type StringSanitizer = (value: string) => string;

/**
 * Builds the per-string step every message and string field goes through.
 *
 * @param redactor - the shared redaction policy's redactor
 * @param maxStringLength - longer strings are truncated with a marker
 * @returns the sanitizer; returns its argument itself when nothing had to change
 */
export function createStringSanitizer(redactor: Redactor, maxStringLength: number): StringSanitizer {
  const patterns = redactor.policy.patterns;
  const defaultsOnly =
    patterns.length === DEFAULT_REDACTION_PATTERNS.length && patterns.every((pattern, index) => pattern === DEFAULT_REDACTION_PATTERNS[index]);
  const prefilter = defaultsOnly ? DEFAULT_PREFILTER : undefined;
  return (value) => {
    let result = value.length > maxStringLength ? truncateString(value, maxStringLength) : value;
    if (prefilter !== undefined && !prefilter.test(result)) return result;
    result = redactor.redactString(result);
    return escapeUnsafeCharacters(result);
  };
}
