import {
  type RedactionLimits,
  DEFAULT_REDACTION_LIMITS,
  REDACTION_LOOKAHEAD,
  resolveRedactionLimits,
  truncationMarker,
} from './redaction-limits.js';
import {
  type RedactionPattern,
  type RedactionPolicy,
  createRedactionPolicy,
  defaultRedactionPolicy,
  normalizeKey,
  recogniserOf,
} from './redaction.js';
import { createSecretScanner } from './secret-scanner.js';
import type { SecretRecogniser } from './secret-text.js';
import { type ValueWalker, createValueWalker } from './value-walker.js';

/** How a key is treated by the policy. */
export type KeyTreatment = 'redact' | 'mask' | undefined;

/** How {@link Redactor.redactString} bounds a string. */
export interface StringBound {
  /** Longest string returned. Default: the policy's `limits.maxStringLength`. */
  readonly maxLength?: number;
  /** Append `...[truncated N chars]` to a cut string (default true; label values are cut without it). */
  readonly marker?: boolean;
}

/** Applies a {@link RedactionPolicy} to keys, strings and whole objects, within its limits. */
export interface Redactor {
  /** The policy applied (an empty one for `createRedactor(false)`). */
  readonly policy: RedactionPolicy;
  /** The limits applied: the policy's, or the defaults. */
  readonly limits: RedactionLimits;
  /** Whether a key's value is redacted (`redact`), masked to its last 4 (`mask`) or kept. */
  classifyKey(key: string): KeyTreatment;
  /**
   * Bounds a string, then replaces the secrets in it: card numbers, IBANs, bearer/basic
   * credentials, JWTs, URL passwords and the policy's own patterns. A secret crossing the cut is
   * still recognised whole. Linear in the string's length for the default patterns (see
   * `docs/guides/security.md`); returns the same string when nothing changed.
   *
   * @param value - the string
   * @param bound - a length (e.g. 256 for a span name) or {@link StringBound}; default the policy's `maxStringLength`
   */
  redactString(value: string, bound?: number | StringBound): string;
  /** Redacts a value stored under `key`: key treatment for scalars, the walk for objects. */
  redactValue(key: string, value: unknown): unknown;
  /**
   * Returns a redacted, bounded copy of a value (copy-on-write: parts that needed no change are
   * shared with the input), written by the one walker (see `createValueWalker`).
   */
  redactObject<T>(value: T, maxDepth?: number): T;
}

const CLASSIFY_CACHE_LIMIT = 4096;
// One redactor per policy object: every signal created with the same policy shares its caches.
const shared = new WeakMap<RedactionPolicy, Redactor>();
const SHORT_KEY = 4;
const STRONGER: Record<string, number> = { redact: 2, mask: 1 };

/** The last word of a key: after the last separator or camelCase hump, lower-cased (`cardPin` → `pin`). */
function lastWord(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return (words.at(-1) ?? '').toLowerCase();
}

/** The part after the last separator, lower-cased whatever its casing (`X-PiN` → `pin`). */
function lastSegment(key: string): string {
  const segments = key.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return (segments.at(-1) ?? '').toLowerCase();
}

const EMPTY_POLICY = createRedactionPolicy({ replaceDefaults: true });

/**
 * The redactor of a policy. Key decisions are cached, so checking the same keys on every log line
 * costs a map lookup. Every call with the same (frozen) policy returns the same redactor, so the
 * signals of a process share its caches and walkers.
 *
 * @param policy - the policy (default: {@link defaultRedactionPolicy}); `false` bounds values without redacting them
 * @returns the redactor
 * @example
 * createRedactor().redactObject({ password: 'x', card: '4111 1111 1111 1111' });
 * // { password: '[REDACTED]', card: '************1111' }
 */
export function createRedactor(policy: RedactionPolicy | false = defaultRedactionPolicy): Redactor {
  const applied = policy === false ? EMPTY_POLICY : policy;
  const existing = shared.get(applied);
  if (existing !== undefined) return existing;
  const created = buildRedactor(applied);
  // A policy is frozen by `createRedactionPolicy`; one that is not could change under the cache.
  if (Object.isFrozen(applied)) shared.set(applied, created);
  return created;
}

function buildRedactor(applied: RedactionPolicy): Redactor {
  const limits = applied.limits ?? DEFAULT_REDACTION_LIMITS;
  const cache = new Map<string, KeyTreatment>();
  const recognisers: SecretRecogniser[] = [];
  const custom: RedactionPattern[] = [];
  for (const pattern of applied.patterns) {
    const recogniser = recogniserOf(pattern);
    if (recogniser === undefined) custom.push(pattern);
    else recognisers.push(recogniser);
  }
  const scan = createSecretScanner(recognisers, applied.censor);

  function classifyUncached(key: string): KeyTreatment {
    const normalized = normalizeKey(key);
    const last = lastWord(key);
    const segment = lastSegment(key);
    // Long names match as a suffix (`brokerApiKey`, `x-api-key`); short ones (`pin`, `pan`, `otp`)
    // only as the last word (`cardPin`) or the whole last segment in any casing (`X-PiN`), so
    // `span`, `spin` or `hotp` are not taken for secrets.
    const matches = (candidate: string) =>
      candidate.length <= SHORT_KEY ? last === candidate || segment === candidate : normalized.endsWith(candidate);
    if (applied.maskKeys.some(matches)) return 'mask';
    if (applied.keys.some(matches)) return 'redact';
    return undefined;
  }

  function classifyKey(key: string): KeyTreatment {
    // A key past the key limit is data, not code: classified by its head and its tail (where a
    // suffix like `password` sits), never cached.
    if (key.length > limits.maxKeyLength) {
      const head = classifyUncached(key.slice(0, limits.maxKeyLength));
      const tail = classifyUncached(key.slice(-limits.maxKeyLength));
      return (STRONGER[head ?? ''] ?? 0) >= (STRONGER[tail ?? ''] ?? 0) ? head : tail;
    }
    const cached = cache.get(key);
    if (cached !== undefined || cache.has(key)) return cached;
    const treatment = classifyUncached(key);
    if (cache.size >= CLASSIFY_CACHE_LIMIT) cache.clear();
    cache.set(key, treatment);
    return treatment;
  }

  function redactPatterns(value: string): string {
    let result = scan(value);
    for (const { pattern, replace } of custom) {
      pattern.lastIndex = 0;
      if (pattern.test(result)) {
        pattern.lastIndex = 0;
        result = result.replace(pattern, replace);
      }
    }
    return result;
  }

  function redactString(value: string, bound?: number | StringBound): string {
    const maxLength = (typeof bound === 'number' ? bound : bound?.maxLength) ?? limits.maxStringLength;
    if (value.length <= maxLength) return redactPatterns(value);
    // Redact a little past the cut, so a secret crossing it is recognised, then cut.
    const head = value.slice(0, maxLength + REDACTION_LOOKAHEAD);
    const redacted = redactPatterns(head);
    let end = Math.min(maxLength, redacted.length);
    const last = redacted.charCodeAt(end - 1);
    if (end === maxLength && last >= 0xd800 && last <= 0xdbff) end -= 1;
    const dropped = redacted.length - end + (value.length - head.length);
    const marker = typeof bound === 'object' && bound.marker === false ? '' : truncationMarker(dropped);
    return dropped === 0 ? redacted : `${redacted.slice(0, end)}${marker}`;
  }

  let walker: ValueWalker | undefined;
  const walkers = new Map<number, ValueWalker>();
  const self: Redactor = {
    policy: applied,
    limits,
    classifyKey,
    redactString,
    redactValue: (key, value) => (walker ??= createValueWalker({ redactor: self })).keyed(key, value),
    redactObject<T>(value: T, maxDepth?: number): T {
      if (maxDepth === undefined || maxDepth === limits.maxDepth)
        return (walker ??= createValueWalker({ redactor: self })).value(value) as T;
      let deeper = walkers.get(maxDepth);
      if (deeper === undefined) {
        if (walkers.size >= 16) walkers.clear();
        walkers.set(
          maxDepth,
          (deeper = createValueWalker({ redactor: self, limits: resolveRedactionLimits({ maxDepth }, limits) })),
        );
      }
      return deeper.value(value) as T;
    },
  };
  return self;
}
