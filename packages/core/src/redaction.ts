/**
 * The one redaction policy that log lines, span attributes, metric label values and audit
 * payloads go through: sensitive keys (replaced or masked) and sensitive value patterns.
 */

/** A value pattern: every match in a string is replaced. */
export interface RedactionPattern {
  /** Name for documentation and tests, e.g. `card-number`. */
  readonly name: string;
  /** A global regular expression. */
  readonly pattern: RegExp;
  /** Replacement for one match. */
  readonly replace: (match: string) => string;
}

/** The policy: which keys and which value patterns are sensitive. */
export interface RedactionPolicy {
  /**
   * Keys whose values are replaced by {@link RedactionPolicy.censor}. Matched after normalisation
   * (case and separators ignored): names longer than 4 characters by suffix (`brokerApiKey`),
   * shorter ones only as the key's last word (`card_pin`, `cardPin`, but not `spin`).
   */
  readonly keys: readonly string[];
  /** Keys whose values keep only their last 4 characters (account and card numbers). */
  readonly maskKeys: readonly string[];
  /** Patterns replaced inside any string value. */
  readonly patterns: readonly RedactionPattern[];
  /** Replacement text for redacted values. */
  readonly censor: string;
}

/** Options to extend (or replace) the default policy. */
export interface RedactionPolicyOptions {
  /** More keys to redact fully. */
  readonly keys?: readonly string[];
  /** More keys to mask to their last 4 characters. */
  readonly maskKeys?: readonly string[];
  /** More value patterns. */
  readonly patterns?: readonly RedactionPattern[];
  /** Replacement text. Default `[REDACTED]`. */
  readonly censor?: string;
  /** Start from an empty policy instead of the defaults. Default false. */
  readonly replaceDefaults?: boolean;
}

/** Lower-cases and strips separators, so `X-Api-Key`, `api_key` and `apiKey` are one key. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Masks all but the last 4 characters (digits and letters) of a value.
 *
 * @param value - e.g. a card or account number
 * @returns `****1234`-style text; short values are fully masked
 */
export function maskLast4(value: string): string {
  const compact = value.replace(/[\s-]/g, '');
  if (compact.length <= 4) return '****';
  return `${'*'.repeat(Math.min(compact.length - 4, 12))}${compact.slice(-4)}`;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Default sensitive keys (normalised): credentials, tokens, auth headers. */
export const DEFAULT_REDACT_KEYS: readonly string[] = Object.freeze([
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'apikey', 'accesskey', 'secretkey', 'privatekey',
  'token', 'authorization', 'cookie', 'setcookie', 'credentials', 'sessionid', 'signature', 'otp', 'pin', 'cvv', 'cvc',
]);

/** Default keys masked to their last 4 characters: account and card numbers. */
export const DEFAULT_MASK_KEYS: readonly string[] = Object.freeze([
  'accountnumber', 'accountno', 'accountid', 'iban', 'cardnumber', 'cardno', 'pan', 'creditcard',
]);

/** Default value patterns: card numbers (Luhn-checked), bearer tokens, JWTs, URL passwords. */
export const DEFAULT_REDACTION_PATTERNS: readonly RedactionPattern[] = Object.freeze([
  {
    name: 'card-number',
    pattern: /\b(?:\d[ -]?){12,18}\d\b/g,
    replace: (match: string) => {
      const digits = match.replace(/\D/g, '');
      return luhnValid(digits) ? maskLast4(digits) : match;
    },
  },
  { name: 'bearer-token', pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, replace: (match: string) => `${match.split(/\s/, 1)[0]} [REDACTED]` },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: () => '[REDACTED]' },
  { name: 'url-password', pattern: /(\/\/[^/\s:@]+:)[^/\s@]+@/g, replace: (match: string) => `${match.slice(0, match.indexOf(':', 2) + 1)}[REDACTED]@` },
]);

/**
 * Builds a policy: the defaults plus what the user adds (or only what they give).
 *
 * @param options - extra keys, mask keys, patterns, censor text
 * @returns a frozen policy
 * @example
 * const policy = createRedactionPolicy({ keys: ['x-broker-session'] });
 */
export function createRedactionPolicy(options: RedactionPolicyOptions = {}): RedactionPolicy {
  const base = options.replaceDefaults === true;
  return Object.freeze({
    keys: Object.freeze([...(base ? [] : DEFAULT_REDACT_KEYS), ...(options.keys ?? []).map(normalizeKey)]),
    maskKeys: Object.freeze([...(base ? [] : DEFAULT_MASK_KEYS), ...(options.maskKeys ?? []).map(normalizeKey)]),
    patterns: Object.freeze([...(base ? [] : DEFAULT_REDACTION_PATTERNS), ...(options.patterns ?? [])]),
    censor: options.censor ?? '[REDACTED]',
  });
}

/** The default policy. */
export const defaultRedactionPolicy: RedactionPolicy = createRedactionPolicy();
