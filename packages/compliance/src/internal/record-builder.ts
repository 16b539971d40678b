import crypto from 'node:crypto';
import canonicalize from 'canonicalize';

// One-shot crypto.hash (Node >= 20.12) is about twice as fast as createHash for short input.
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** `prev` of the first record of a trail. */
export const GENESIS_HASH = '0'.repeat(64);

/** Every line starts with the record's own hash, then the canonical body without its `{`. */
export const LINE_PREFIX = '{"hash":"';
/** Byte offset where the canonical body resumes (after `{"hash":"<64 hex>",`). */
export const BODY_OFFSET = LINE_PREFIX.length + 64 + 2;

/** The last record of the chain: what the next record links to. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
  /** Microseconds of the last record (the clock's floor). */
  readonly micros: number;
}

/** The fields of one record before it is chained. */
export interface RecordFields {
  readonly type: string;
  readonly ts: string;
  readonly actor: string;
  readonly correlationId?: string | undefined;
  /** `trading.*` attributes (flat keys, as in log lines). */
  readonly trading?: Readonly<Record<string, string>> | undefined;
  readonly payload: unknown;
}

/** One chained record, ready to append. */
export interface BuiltRecord {
  readonly seq: number;
  readonly hash: string;
  readonly ts: string;
  readonly type: string;
  /** The JSON line, newline-terminated. */
  readonly line: string;
}

/**
 * Chains one record after `head`: the body `{seq, ts, type, actor, correlation_id, trading.*,
 * payload, prev}` is serialised with RFC 8785, its SHA-256 is the record's hash, and the line is
 * `{"hash":"<hex>",` followed by the canonical body after its opening brace. A verifier can either
 * hash the line's bytes from {@link BODY_OFFSET} (with `{` in front), or parse the line, drop
 * `hash`, canonicalise and hash: both give the same digest.
 *
 * `fields.payload` must already be plain JSON (see `toPlainJson`).
 */
export function buildRecord(head: ChainHead, fields: RecordFields): BuiltRecord {
  const seq = head.seq + 1;
  const body: Record<string, unknown> = {
    seq,
    ts: fields.ts,
    type: fields.type,
    actor: fields.actor,
    payload: fields.payload,
    prev: head.hash,
  };
  if (fields.correlationId !== undefined) body.correlation_id = fields.correlationId;
  if (fields.trading)
    for (const key of Object.keys(fields.trading)) if (key.startsWith('trading.')) body[key] = fields.trading[key];
  // Fields are plain JSON already (payloads are normalised by record()), so no second round trip.
  const canonical = canonicalize(body)!;
  const hash = oneShot
    ? oneShot('sha256', canonical, 'hex')
    : crypto.createHash('sha256').update(canonical, 'utf8').digest('hex');
  return { seq, hash, ts: fields.ts, type: fields.type, line: `${LINE_PREFIX}${hash}",${canonical.slice(1)}\n` };
}
