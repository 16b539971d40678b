import { JtsError } from './errors.js';

/**
 * The bounds every signal applies to a value before (and while) redacting it, so that no caller,
 * careless or hostile, can make redaction or serialisation cost more than a fixed amount per value.
 */

/** Size limits of the one walker; the same for a log line, a span, a label and an audit payload. */
export interface RedactionLimits {
  /** Longest string kept, in UTF-16 units; longer ones are cut with a `...[truncated N chars]` marker. Default 16384. */
  readonly maxStringLength: number;
  /** Longest object key kept (never more than `maxStringLength`); longer keys are cut the same way. Default 1024. */
  readonly maxKeyLength: number;
  /** Objects nested deeper than this are replaced by `[Truncated: max depth]`. Default 10. */
  readonly maxDepth: number;
  /** Most array items, Map and Set entries and object properties kept per collection; the rest are counted in a marker. Default 1000. */
  readonly maxItems: number;
}

/** The default limits. */
export const DEFAULT_REDACTION_LIMITS: RedactionLimits = Object.freeze({
  maxStringLength: 16_384,
  maxKeyLength: 1024,
  maxDepth: 10,
  maxItems: 1000,
});

/**
 * Characters read past a string's limit before redaction, so that a secret crossing the cut is
 * still recognised whole and then cut away with the rest (the longest default pattern that can
 * straddle the cut, a JWT or a URL password, is rarely longer).
 */
export const REDACTION_LOOKAHEAD = 1024;

/** Marker appended to a cut string. */
export function truncationMarker(dropped: number): string {
  return `...[truncated ${dropped} chars]`;
}

/**
 * Cuts a string to `limit` UTF-16 units, never inside a surrogate pair.
 *
 * @param value - the string
 * @param limit - units kept
 * @param marker - append `...[truncated N chars]` (default true; label values are cut without it)
 * @returns `value` itself when it fits, else the cut text
 * @example
 * truncateString('abcdef', 3); // 'abc...[truncated 3 chars]'
 */
export function truncateString(value: string, limit: number, marker = true): string {
  if (value.length <= limit) return value;
  let end = limit;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return marker ? `${value.slice(0, end)}${truncationMarker(value.length - end)}` : value.slice(0, end);
}

/**
 * Completes partial limits with the defaults and checks them (positive integers; the key limit
 * never above the string limit).
 *
 * @param limits - limits to apply on top of `base`
 * @param base - the limits completed (default {@link DEFAULT_REDACTION_LIMITS})
 * @returns frozen limits
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a limit that is not a positive integer
 */
export function resolveRedactionLimits(
  limits: Partial<RedactionLimits> | undefined,
  base: RedactionLimits = DEFAULT_REDACTION_LIMITS,
): RedactionLimits {
  const merged = { ...base, ...definedOnly(limits) };
  for (const [name, value] of Object.entries(merged)) {
    if (!Number.isInteger(value) || (value as number) < 1)
      throw new JtsError(
        'JTS_ERR_INVALID_OPTION',
        `Invalid option limits.${name}: must be a positive integer (got ${String(value)})`,
      );
  }
  return Object.freeze({ ...merged, maxKeyLength: Math.min(merged.maxKeyLength, merged.maxStringLength) });
}

function definedOnly(limits: Partial<RedactionLimits> | undefined): Partial<RedactionLimits> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(limits ?? {})) if (value !== undefined) out[name] = value;
  return out;
}
