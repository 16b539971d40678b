import { type RedactionPolicy, defaultRedactionPolicy, maskLast4, normalizeKey } from './redaction.js';

/** How a key is treated by the policy. */
export type KeyTreatment = 'redact' | 'mask' | undefined;

/** Applies a {@link RedactionPolicy} to keys, strings and whole objects. */
export interface Redactor {
  /** The policy applied. */
  readonly policy: RedactionPolicy;
  /** Whether a key's value is redacted (`redact`), masked to its last 4 (`mask`) or kept. */
  classifyKey(key: string): KeyTreatment;
  /** Replaces sensitive patterns inside a string; returns the same string when nothing matched. */
  redactString(value: string): string;
  /** Redacts a value stored under `key` (strings and numbers; objects through {@link Redactor.redactObject}). */
  redactValue(key: string, value: unknown): unknown;
  /**
   * Returns a redacted deep copy of a plain value: sensitive keys replaced or masked, patterns
   * replaced in strings. Cycle-safe (`[Circular]`) and depth-bounded (`[Truncated]`).
   */
  redactObject<T>(value: T, maxDepth?: number): T;
}

const CLASSIFY_CACHE_LIMIT = 4096;
const SHORT_KEY = 4;

/** The last word of a key: after the last separator or camelCase hump, lower-cased (`cardPin` → `pin`). */
function lastWord(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).filter(Boolean);
  return (words.at(-1) ?? '').toLowerCase();
}

/**
 * Builds a redactor for a policy. Key decisions are cached, so checking the same keys on every
 * log line costs a map lookup.
 *
 * @param policy - the policy (default: {@link defaultRedactionPolicy})
 * @returns the redactor
 * @example
 * createRedactor().redactObject({ password: 'x', card: '4111 1111 1111 1111' });
 * // { password: '[REDACTED]', card: '************1111' }
 */
export function createRedactor(policy: RedactionPolicy = defaultRedactionPolicy): Redactor {
  const cache = new Map<string, KeyTreatment>();
  const patterns = policy.patterns;

  function classifyKey(key: string): KeyTreatment {
    const cached = cache.get(key);
    if (cached !== undefined || cache.has(key)) return cached;
    const normalized = normalizeKey(key);
    const last = lastWord(key);
    // Long names match as a suffix (`brokerApiKey`, `x-api-key`); short ones (`pin`, `pan`, `otp`)
    // only as the last word, so `span`, `spin` or `hotp` are not taken for secrets.
    const matches = (candidate: string) => (candidate.length <= SHORT_KEY ? last === candidate : normalized.endsWith(candidate));
    let treatment: KeyTreatment;
    if (policy.maskKeys.some(matches)) treatment = 'mask';
    else if (policy.keys.some(matches)) treatment = 'redact';
    if (cache.size >= CLASSIFY_CACHE_LIMIT) cache.clear();
    cache.set(key, treatment);
    return treatment;
  }

  function redactString(value: string): string {
    let result = value;
    for (const { pattern, replace } of patterns) {
      pattern.lastIndex = 0;
      if (pattern.test(result)) {
        pattern.lastIndex = 0;
        result = result.replace(pattern, replace);
      }
    }
    return result;
  }

  function redactValue(key: string, value: unknown): unknown {
    const treatment = classifyKey(key);
    if (treatment !== undefined && value !== undefined && value !== null && typeof value !== 'object') {
      return treatment === 'mask' ? maskLast4(String(value)) : policy.censor;
    }
    if (treatment === 'redact' && value !== undefined && value !== null) return policy.censor;
    if (typeof value === 'string') return redactString(value);
    return value;
  }

  function walk(value: unknown, depth: number, maxDepth: number, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return redactString(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[Circular]';
    if (depth >= maxDepth) return '[Truncated]';
    // Data that lives behind toJSON (Date, Buffer, Decimal types) or in collections is kept, not
    // turned into `{}` by copying own keys.
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      let json: unknown;
      try {
        json = (value as { toJSON: () => unknown }).toJSON();
      } catch {
        return '[Unserializable]';
      }
      return json === value ? '[Circular]' : walk(json, depth, maxDepth, seen);
    }
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, maxDepth, seen));
      if (value instanceof Set) return walk([...value], depth, maxDepth, seen);
      if (value instanceof Map) {
        const entries: Record<string, unknown> = {};
        for (const [key, item] of value) entries[String(key)] = item;
        return walk(entries, depth, maxDepth, seen);
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        let item: unknown;
        try {
          item = (value as Record<string, unknown>)[key];
        } catch {
          item = '[Unreadable]';
        }
        const treatment = classifyKey(key);
        if (treatment === 'redact' && item !== undefined && item !== null) out[key] = policy.censor;
        else if (treatment === 'mask' && item !== undefined && item !== null && typeof item !== 'object') out[key] = maskLast4(String(item));
        else out[key] = walk(item, depth + 1, maxDepth, seen);
      }
      return out;
    } finally {
      seen.delete(value);
    }
  }

  return {
    policy,
    classifyKey,
    redactString,
    redactValue,
    redactObject: <T>(value: T, maxDepth = 16) => walk(value, 0, maxDepth, new WeakSet()) as T,
  };
}
