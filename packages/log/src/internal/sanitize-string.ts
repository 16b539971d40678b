import type { Redactor } from '@jts/core';

/**
 * Characters JSON leaves raw although some viewers treat them as line breaks or terminal
 * controls: C1 controls (U+0080-U+009F, which include CSI U+009B and NEL U+0085) and the Unicode
 * line and paragraph separators. C0 controls (CR, LF, ESC) are escaped by JSON itself.
 */
const UNSAFE_CHARACTERS = /[\u0080-\u009f\u2028\u2029]/g;
const HAS_UNSAFE_CHARACTER = /[\u0080-\u009f\u2028\u2029]/;

const escapeCharacter = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Turns C1 controls and U+2028/U+2029 into visible `\uXXXX` text. */
export function escapeUnsafeCharacters(value: string): string {
  return HAS_UNSAFE_CHARACTER.test(value) ? value.replace(UNSAFE_CHARACTERS, escapeCharacter) : value;
}

/** Whether a string holds a character {@link escapeUnsafeCharacters} would rewrite. */
export function hasUnsafeCharacter(value: string): boolean {
  return HAS_UNSAFE_CHARACTER.test(value);
}

/** Sanitises one string value: length limit, redaction, unsafe characters. */
export interface StringSanitizer {
  (value: string): string;
  /** The string limit it applies (`maxStringLength`). */
  readonly maxLength: number;
}

/**
 * Builds the per-string step every message and string field goes through: core's bounded
 * redaction (the same fast path and limits as span attributes, labels and audit payloads), then
 * the escaping a JSON line needs.
 *
 * @param redactor - the shared redaction policy's redactor
 * @param maxStringLength - longer strings are truncated with a marker
 * @returns the sanitizer; returns its argument itself when nothing had to change
 */
export function createStringSanitizer(redactor: Redactor, maxStringLength: number): StringSanitizer {
  const bound = { maxLength: maxStringLength };
  const sanitize = (value: string) => escapeUnsafeCharacters(redactor.redactString(value, bound));
  return Object.assign(sanitize, { maxLength: maxStringLength });
}
