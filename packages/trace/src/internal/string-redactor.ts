import { DEFAULT_REDACTION_PATTERNS, type RedactionPattern, type RedactionPolicy } from '@jts/core';

// What one scan of a string found: a default pattern whose flag is not set cannot match.
const CARD = 1; // 13 or more digits in a run (single spaces or hyphens allowed between them)
const TOKEN = 2; // "bearer" / "basic" (any case) may be present: a whitespace and a "b" or "B"
const JWT = 4; // "eyJ"
const URL_PASSWORD = 8; // "//" and "@"

const FLAGS: Readonly<Record<string, number>> = { 'card-number': CARD, 'bearer-token': TOKEN, jwt: JWT, 'url-password': URL_PASSWORD };

/** One pass over the characters, setting the flag of each default pattern that may match. */
function scan(value: string): number {
  let flags = 0;
  let digits = 0;
  let separator = false;
  let space = false;
  let letterB = false;
  let slashes = false;
  let at = false;
  let previous = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 48 && code <= 57) {
      if (++digits >= 13) flags |= CARD;
      separator = false;
    } else {
      if ((code === 32 || code === 45) && digits > 0 && !separator) separator = true;
      else {
        digits = 0;
        separator = false;
      }
      if (code === 32 || code === 9 || code === 10 || code === 13) space = true;
      else if (code === 98 || code === 66) letterB = true;
      else if (code === 64) at = true;
      else if (code === 47 && previous === 47) slashes = true;
      else if (code === 74 && previous === 121 && index >= 2 && value.charCodeAt(index - 2) === 101) flags |= JWT;
    }
    previous = code;
  }
  if (space && letterB) flags |= TOKEN;
  if (slashes && at) flags |= URL_PASSWORD;
  return flags;
}

interface FilteredPattern {
  readonly pattern: RedactionPattern;
  /** Flag that must be set for the pattern to run; 0 = always run (a custom pattern). */
  readonly flag: number;
}

/**
 * Applies the policy's value patterns like core's `redactString`, but first scans the string
 * once and skips each default pattern that cannot match (span attributes are mostly short IDs
 * and symbols; running four regular expressions on each cost more than the span itself).
 * Custom patterns always run.
 */
export function createStringRedactor(policy: RedactionPolicy): (value: string) => string {
  const patterns: FilteredPattern[] = policy.patterns.map((pattern) => ({
    pattern,
    flag: DEFAULT_REDACTION_PATTERNS.includes(pattern) ? (FLAGS[pattern.name] ?? 0) : 0,
  }));
  const onlyDefaults = patterns.every((entry) => entry.flag !== 0);
  return (value) => {
    const flags = scan(value);
    if (flags === 0 && onlyDefaults) return value;
    let result = value;
    for (const { pattern, flag } of patterns) {
      if (flag !== 0 && (flags & flag) === 0) continue;
      const regex = pattern.pattern;
      regex.lastIndex = 0;
      if (regex.test(result)) {
        regex.lastIndex = 0;
        result = result.replace(regex, pattern.replace as (match: string) => string);
      }
    }
    return result;
  };
}
