import { reportDiagnostic } from './diagnostics.js';
import type { CorrelationIdStats } from './stats-shapes.js';

/** What an incoming correlation ID must look like to be accepted. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Default header carrying the correlation ID. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

const counters = { accepted: 0, generated: 0, rejected: 0 };

/**
 * Makes a new correlation ID (a random UUID v4).
 *
 * @returns a fresh ID matching {@link CORRELATION_ID_PATTERN}
 */
export function newCorrelationId(): string {
  counters.generated++;
  // The global Web Crypto (same generator as node:crypto's) spares importing node:crypto at start-up.
  return globalThis.crypto.randomUUID();
}

/**
 * Validates an incoming correlation ID. A rejected value is counted and reported by reason only:
 * it is never echoed, logged or stored.
 *
 * @param raw - the value as received (any type)
 * @returns the ID when it matches {@link CORRELATION_ID_PATTERN}, else undefined
 * @example
 * const id = acceptCorrelationId(req.headers['x-correlation-id']) ?? newCorrelationId();
 */
export function acceptCorrelationId(raw: unknown): string | undefined {
  if (typeof raw === 'string' && CORRELATION_ID_PATTERN.test(raw)) {
    counters.accepted++;
    return raw;
  }
  counters.rejected++;
  reportDiagnostic({
    source: 'core',
    event: 'correlation_id_rejected',
    message: `incoming correlation ID rejected (${describeRejection(raw)}); a new one was generated`,
  });
  return undefined;
}

function describeRejection(raw: unknown): string {
  if (typeof raw !== 'string') return `type ${raw === null ? 'null' : typeof raw}`;
  if (raw.length === 0) return 'empty';
  if (raw.length > 128) return `length ${raw.length} > 128`;
  return 'characters outside [A-Za-z0-9._:-]';
}

/**
 * Reads the correlation ID counters, for `@jts/metrics` or a health endpoint.
 *
 * @returns a snapshot of accepted, generated and rejected counts
 */
export function correlationIdStats(): CorrelationIdStats {
  return { ...counters };
}
