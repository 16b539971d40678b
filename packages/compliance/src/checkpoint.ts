import {
  type KeyObject,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
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
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
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
    key =
      typeof input === 'object' && !Buffer.isBuffer(input)
        ? input.type === 'private'
          ? createPublicKey(input)
          : input
        : createPublicKey(input);
  } catch (error) {
    throw new JtsError(
      'JTS_ERR_INVALID_ARGUMENT',
      'publicKey is not a readable public key (expected Ed25519 PEM/SPKI)',
      { cause: error },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new JtsError('JTS_ERR_INVALID_ARGUMENT', `publicKey must be Ed25519, got ${key.asymmetricKeyType}`);
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
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      'signingKey is not a readable private key (expected Ed25519 PKCS#8 PEM; or set JTS_AUDIT_SIGNING_KEY_FILE)',
      { cause: error },
    );
  }
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      'signingKey must be an Ed25519 private key (or set JTS_AUDIT_SIGNING_KEY_FILE)',
    );
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
export function signCheckpoint(
  privateKey: KeyObject,
  covered: { count: number; head: string; time: string },
): AuditCheckpoint {
  return signWithKey(privateKey, auditKeyId(createPublicKey(privateKey)), covered);
}

function signWithKey(
  privateKey: KeyObject,
  keyId: string,
  covered: { count: number; head: string; time: string },
): AuditCheckpoint {
  const unsigned = { ...covered, key_id: keyId };
  return { ...unsigned, signature: sign(null, signedBytes(unsigned), privateKey).toString('base64') };
}

/**
 * Signs checkpoints with a key the trail never holds, e.g. in a KMS or an HSM with Ed25519 keys
 * (Google Cloud KMS `EC_SIGN_ED25519`, PKCS#11 `CKM_EDDSA`).
 */
export interface AuditSigner {
  /** The Ed25519 public key of the signing key (KeyObject or SPKI PEM): what verifiers get. */
  readonly publicKey: KeyObject | string | Buffer;
  /** Returns the Ed25519 signature (64 bytes) of `data`. May be async; it is checked against `publicKey` before use. */
  sign(data: Buffer): Uint8Array | Promise<Uint8Array>;
}

/** How a trail signs: a local private key (synchronous) or an {@link AuditSigner}. @internal */
export interface CheckpointSigner {
  readonly publicKey: KeyObject;
  readonly keyId: string;
  /** A checkpoint now (local key) or a promise of one (external signer, checked and bounded by a timeout). */
  checkpoint(covered: { count: number; head: string; time: string }): AuditCheckpoint | Promise<AuditCheckpoint>;
}

/**
 * The signer of a trail.
 *
 * @param key - a loaded Ed25519 private key, or an external signer
 * @param timeoutMs - how long an external signer may take before the checkpoint is given up
 * @returns the signer
 * @throws JtsError `JTS_ERR_INVALID_OPTION` when an external signer has no Ed25519 public key or no `sign`
 * @internal
 */
export function createCheckpointSigner(key: KeyObject | AuditSigner, timeoutMs: number): CheckpointSigner {
  if ('asymmetricKeyType' in key && (key as KeyObject).type === 'private') {
    const privateKey = key as KeyObject;
    const publicKey = createPublicKey(privateKey);
    const keyId = auditKeyId(publicKey);
    return { publicKey, keyId, checkpoint: (covered) => signWithKey(privateKey, keyId, covered) };
  }
  const external = key as AuditSigner;
  if (typeof external?.sign !== 'function')
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      'createAuditTrail: signer.sign must be a function returning the Ed25519 signature of its argument',
    );
  let publicKey: KeyObject;
  try {
    publicKey = loadAuditPublicKey(external.publicKey);
  } catch (error) {
    throw new JtsError('JTS_ERR_INVALID_OPTION', `createAuditTrail: signer.publicKey: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const keyId = auditKeyId(publicKey);
  return {
    publicKey,
    keyId,
    async checkpoint(covered) {
      const unsigned = { ...covered, key_id: keyId };
      const data = signedBytes(unsigned);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new JtsError('JTS_ERR_AUDIT_CHECKPOINT_FAILED', `the signer did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      let signature: Uint8Array;
      try {
        signature = await Promise.race([Promise.resolve().then(() => external.sign(data)), timeout]);
      } catch (error) {
        if (error instanceof JtsError) throw error;
        throw new JtsError(
          'JTS_ERR_AUDIT_CHECKPOINT_FAILED',
          `the signer failed: ${(error as Error)?.message ?? String(error)}`,
          { cause: error },
        );
      } finally {
        clearTimeout(timer);
      }
      const bytes =
        signature instanceof Uint8Array
          ? Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength)
          : undefined;
      if (bytes === undefined || !verify(null, data, publicKey, bytes)) {
        throw new JtsError(
          'JTS_ERR_AUDIT_CHECKPOINT_FAILED',
          'the signer returned a signature that does not verify with signer.publicKey',
        );
      }
      return { ...unsigned, signature: bytes.toString('base64') };
    },
  };
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
    typeof cp === 'object' &&
    cp !== null &&
    Number.isSafeInteger(cp.count) &&
    (cp.count as number) >= 0 &&
    typeof cp.head === 'string' &&
    typeof cp.time === 'string' &&
    typeof cp.key_id === 'string' &&
    typeof cp.signature === 'string'
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
