import { type KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { JtsError } from '@jts/core';
import { canonicalJson } from './internal/canonical-json.js';

/**
 * A signed statement "the trail held `count` records and the last one hashed to `head` at `time`".
 * Written inline in the trail (record type `audit.checkpoint`) and handed to `onCheckpoint` /
 * `checkpointFile` so a copy can be kept outside the trail's reach.
 */
export interface AuditCheckpoint {
  /** Sequence number of the last record covered (= number of records before the checkpoint). */
  readonly count: number;
  /** Hash of that record. */
  readonly head: string;
  /** When the checkpoint was made (RFC 3339 UTC, microseconds). */
  readonly time: string;
  /** Identifies the signing key: first 16 hex digits of SHA-256 over the public key (SPKI DER). */
  readonly key_id: string;
  /** Ed25519 signature (base64) over the RFC 8785 form of `{count, head, key_id, time}`. */
  readonly signature: string;
}

/** A public key in any form the verifier accepts: KeyObject or PEM (SPKI) text or Buffer. */
export type PublicKeyInput = KeyObject | string | Buffer;

const DOMAIN = 'jts-audit-checkpoint-v1\n';

function signedBytes(checkpoint: Omit<AuditCheckpoint, 'signature'>): Buffer {
  const { count, head, time, key_id } = checkpoint;
  return Buffer.from(DOMAIN + canonicalJson({ count, head, key_id, time }), 'utf8');
}

/**
 * The key identifier used in checkpoints.
 *
 * @param publicKey - an Ed25519 public key
 * @returns 16 hex digits
 */
export function auditKeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/**
 * Loads an Ed25519 public key.
 *
 * @param input - KeyObject or PEM (SPKI); a private key is accepted and its public half used
 * @returns the public KeyObject
 * @throws JtsError `JTS_ERR_INVALID_ARGUMENT` when it is not an Ed25519 key
 */
export function loadAuditPublicKey(input: PublicKeyInput): KeyObject {
  let key: KeyObject;
  try {
    key = typeof input === 'object' && !Buffer.isBuffer(input) ? (input.type === 'private' ? createPublicKey(input) : input) : createPublicKey(input);
  } catch (error) {
    throw new JtsError('JTS_ERR_INVALID_ARGUMENT', 'publicKey is not a readable public key (expected Ed25519 PEM/SPKI)', { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new JtsError('JTS_ERR_INVALID_ARGUMENT', `publicKey must be Ed25519, got ${key.asymmetricKeyType}`);
  return key;
}

/**
 * Loads an Ed25519 private key.
 *
 * @param input - KeyObject or PEM (PKCS#8)
 * @returns the private KeyObject
 * @throws JtsError `JTS_ERR_INVALID_OPTION` when it is not an Ed25519 private key
 */
export function loadAuditPrivateKey(input: KeyObject | string | Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = typeof input === 'object' && !Buffer.isBuffer(input) ? input : createPrivateKey(input);
  } catch (error) {
    throw new JtsError('JTS_ERR_INVALID_OPTION', 'signingKey is not a readable private key (expected Ed25519 PKCS#8 PEM; or set JTS_AUDIT_SIGNING_KEY_FILE)', { cause: error });
  }
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new JtsError('JTS_ERR_INVALID_OPTION', 'signingKey must be an Ed25519 private key (or set JTS_AUDIT_SIGNING_KEY_FILE)');
  }
  return key;
}

/**
 * Signs a checkpoint.
 *
 * @param privateKey - Ed25519 private key
 * @param covered - count, head hash and time
 * @returns the signed checkpoint
 */
export function signCheckpoint(privateKey: KeyObject, covered: { count: number; head: string; time: string }): AuditCheckpoint {
  const unsigned = { ...covered, key_id: auditKeyId(createPublicKey(privateKey)) };
  return { ...unsigned, signature: sign(null, signedBytes(unsigned), privateKey).toString('base64') };
}

/**
 * Checks a checkpoint's signature (not whether a trail matches it: see `verifyAuditTrail`).
 *
 * @param checkpoint - the checkpoint, e.g. parsed from a checkpoint file
 * @param publicKey - Ed25519 public key
 * @returns true when the signature is valid for this key
 */
export function verifyCheckpointSignature(checkpoint: AuditCheckpoint, publicKey: KeyObject): boolean {
  if (!isCheckpointShape(checkpoint)) return false;
  try {
    return verify(null, signedBytes(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Whether a parsed value has the fields of a checkpoint with the right types. */
export function isCheckpointShape(value: unknown): value is AuditCheckpoint {
  const cp = value as Partial<AuditCheckpoint> | null;
  return (
    typeof cp === 'object' && cp !== null && Number.isSafeInteger(cp.count) && (cp.count as number) >= 0 &&
    typeof cp.head === 'string' && typeof cp.time === 'string' && typeof cp.key_id === 'string' && typeof cp.signature === 'string'
  );
}

/**
 * Generates an Ed25519 key pair for signing checkpoints (PEM: PKCS#8 private, SPKI public).
 *
 * @returns both halves as PEM text, and the key id
 * @example
 * const { privateKeyPem, publicKeyPem } = generateAuditKeyPair();
 */
export function generateAuditKeyPair(): { privateKeyPem: string; publicKeyPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    keyId: auditKeyId(publicKey),
  };
}
