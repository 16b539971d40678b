import { cardNumberRecogniser } from './card-number-recogniser.js';
import { bearerTokenRecogniser, jwtRecogniser, urlPasswordRecogniser } from './credential-recognisers.js';
import { ibanRecogniser } from './iban-recogniser.js';
import { type RedactionLimits, resolveRedactionLimits } from './redaction-limits.js';
import { type SecretRecogniser, maskLast4 } from './secret-text.js';

/**
 * The one redaction policy that log lines, span attributes, metric label values and audit
 * payloads go through: sensitive keys (replaced or masked), sensitive value patterns, and the
 * limits every value is bounded by before it is redacted.
 */

/**
 * A value pattern: every match in a string is replaced. The redactor runs a custom pattern's
 * expression on the string after it is cut to the string limit, so its cost is bounded by that
 * limit times the expression's own cost per character: give expressions without nested or
 * overlapping repetition (see `docs/guides/security.md`).
 */
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
  /** Bounds applied to every value before it is redacted. Default {@link DEFAULT_REDACTION_LIMITS}. */
  readonly limits?: RedactionLimits;
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
  /** Bounds replacing the defaults, each optional (`{ maxStringLength: 4096 }`). */
  readonly limits?: Partial<RedactionLimits>;
}

/** Lower-cases and strips separators, so `X-Api-Key`, `api_key` and `apiKey` are one key. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export { maskLast4 };

/** Default sensitive keys (normalised): credentials, tokens, auth headers. */
export const DEFAULT_REDACT_KEYS: readonly string[] = Object.freeze([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'apikey',
  'accesskey',
  'secretkey',
  'privatekey',
  'token',
  'authorization',
  'cookie',
  'setcookie',
  'credentials',
  'sessionid',
  'signature',
  'otp',
  'pin',
  'cvv',
  'cvc',
]);

/** Default keys masked to their last 4 characters: account and card numbers. */
export const DEFAULT_MASK_KEYS: readonly string[] = Object.freeze([
  'accountnumber',
  'accountno',
  'accountid',
  'iban',
  'cardnumber',
  'cardno',
  'pan',
  'creditcard',
]);

const RECOGNISERS = new WeakMap<RedactionPattern, SecretRecogniser>();
const meterless = { reads: 0 };

// A default pattern's expression finds candidates and its recogniser decides and replaces (with
// `[REDACTED]`), for code that applies the pattern itself; a redactor runs the recogniser alone.
function recognised(name: string, pattern: RegExp, recogniser: SecretRecogniser): RedactionPattern {
  const entry: RedactionPattern = Object.freeze({
    name,
    pattern,
    replace: (match: string) => recogniser.replaceAll(match, '[REDACTED]', meterless),
  });
  RECOGNISERS.set(entry, recogniser);
  return entry;
}

/**
 * Default value patterns: IBANs (mod-97-checked), card numbers (Luhn-checked), bearer/basic
 * credentials, JWTs and URL passwords. A redactor does not run their expressions: it recognises
 * the same secrets in one linear scan (worst case documented in `docs/guides/security.md`).
 */
export const DEFAULT_REDACTION_PATTERNS: readonly RedactionPattern[] = Object.freeze([
  recognised('iban', /\b[A-Za-z]{2}\d\d(?: ?[A-Za-z0-9]){11,30}\b/g, ibanRecogniser),
  recognised('card-number', /\b\d(?:[ -]?\d){12,18}\b/g, cardNumberRecogniser),
  recognised('bearer-token', /\b(?:Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, bearerTokenRecogniser),
  // Not preceded by base64url text, so that each run is tried once (`\beyJ` would retry every
  // `eyJ` after a hyphen: quadratic); the redactor's recogniser also takes a token after a hyphen.
  recognised('jwt', /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, jwtRecogniser),
  recognised('url-password', /\/\/[^/\s:@]*:[^/\s@]+@/g, urlPasswordRecogniser),
]);

/** The recogniser behind a default pattern, if `pattern` is one. @internal */
export function recogniserOf(pattern: RedactionPattern): SecretRecogniser | undefined {
  return RECOGNISERS.get(pattern);
}

/**
 * Builds a policy: the defaults plus what the user adds (or only what they give).
 *
 * @param options - extra keys, mask keys, patterns, censor text, limits
 * @returns a frozen policy
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a limit that is not a positive integer
 * @example
 * const policy = createRedactionPolicy({ keys: ['x-broker-session'], limits: { maxStringLength: 4096 } });
 */
export function createRedactionPolicy(options: RedactionPolicyOptions = {}): RedactionPolicy {
  const base = options.replaceDefaults === true;
  return Object.freeze({
    keys: Object.freeze([...(base ? [] : DEFAULT_REDACT_KEYS), ...(options.keys ?? []).map(normalizeKey)]),
    maskKeys: Object.freeze([...(base ? [] : DEFAULT_MASK_KEYS), ...(options.maskKeys ?? []).map(normalizeKey)]),
    patterns: Object.freeze([...(base ? [] : DEFAULT_REDACTION_PATTERNS), ...(options.patterns ?? [])]),
    censor: options.censor ?? '[REDACTED]',
    limits: resolveRedactionLimits(options.limits),
  });
}

/** The default policy. */
export const defaultRedactionPolicy: RedactionPolicy = createRedactionPolicy();
