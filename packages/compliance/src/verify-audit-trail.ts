import type { KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { JtsError } from '@jts/core';
import { type AuditCheckpoint, type PublicKeyInput, auditKeyId, loadAuditPublicKey } from './checkpoint.js';
import { ChainVerifier } from './internal/chain-verifier.js';
import { listTrailFiles } from './internal/trail-files.js';
import type { AuditVerificationResult } from './verification-result.js';

const gunzipAsync = promisify(gunzip);

/** A trail file to verify: a path (a `.gz` archive is decompressed; a directory means its trail files in order) or bytes in memory. */
export type AuditSource = string | { readonly name: string; readonly data: Buffer | string };

/** Options of {@link verifyAuditTrail}. */
export interface VerifyAuditTrailOptions {
  /**
   * Checkpoint(s) kept outside the trail (from `onCheckpoint` / `checkpointFile`). The trail must
   * still contain each one where it was written: this is what detects truncation and rollback.
   * A trail whose first records were archived away may start at one of these checkpoints.
   */
  readonly trustedCheckpoint?: AuditCheckpoint | readonly AuditCheckpoint[];
}

async function expand(source: AuditSource): Promise<AuditSource[]> {
  if (typeof source !== 'string') return [source];
  const info = await stat(source);
  if (!info.isDirectory()) return [source];
  const files = listTrailFiles(source);
  const prefixes = [...new Set(files.map((file) => file.prefix))];
  if (prefixes.length > 1) {
    throw new JtsError(
      'JTS_ERR_INVALID_ARGUMENT',
      `${source} holds several trails (prefixes ${prefixes.join(', ')}): pass the files of one trail`,
    );
  }
  return files.map((file) => file.path);
}

async function load(source: AuditSource): Promise<{ name: string; data: Buffer }> {
  if (typeof source !== 'string')
    return {
      name: source.name,
      data: typeof source.data === 'string' ? Buffer.from(source.data, 'utf8') : source.data,
    };
  const raw = await readFile(source);
  return { name: source, data: source.endsWith('.gz') ? await gunzipAsync(raw) : raw };
}

/**
 * Verifies a trail: every record's hash, the chain links, sequence numbers, monotonic
 * timestamps, every inline checkpoint's Ed25519 signature, and the trusted checkpoints you kept.
 * Stops at the first problem and reports the first bad sequence number. A torn last line (crash
 * during a write) is reported in `torn`, never counted as a record.
 *
 * @param sources - files in chain order, a directory, or in-memory contents
 * @param publicKey - the trail's Ed25519 public key(s)
 * @param options - trusted checkpoints
 * @returns the result; `ok` is false when tampering (or damage) was found
 * @throws JtsError `JTS_ERR_AUDIT_READ_FAILED` when a file cannot be read; `JTS_ERR_INVALID_ARGUMENT` for a bad key
 * @example
 * const result = await verifyAuditTrail(['audit-2026-01-02.000001.jsonl'], publicKeyPem);
 * if (!result.ok) console.error(`first bad record: ${result.firstBadSeq}`, result.problem);
 */
export async function verifyAuditTrail(
  sources: AuditSource | readonly AuditSource[],
  publicKey: PublicKeyInput | readonly PublicKeyInput[],
  options: VerifyAuditTrailOptions = {},
): Promise<AuditVerificationResult> {
  const keys: KeyObject[] = (Array.isArray(publicKey) ? publicKey : [publicKey]).map((key: PublicKeyInput) =>
    loadAuditPublicKey(key),
  );
  const trusted =
    options.trustedCheckpoint === undefined
      ? []
      : Array.isArray(options.trustedCheckpoint)
        ? options.trustedCheckpoint
        : [options.trustedCheckpoint as AuditCheckpoint];
  const verifier = new ChainVerifier(keys, keys.map(auditKeyId), trusted);
  const list: AuditSource[] = [];
  try {
    for (const source of Array.isArray(sources) ? sources : [sources as AuditSource])
      list.push(...(await expand(source)));
    for (const source of list) {
      const { name, data } = await load(source);
      if (!verifier.feed(name, data)) break;
    }
  } catch (error) {
    if (error instanceof JtsError) throw error;
    const name =
      typeof error === 'object' && error !== null && 'path' in error
        ? String((error as { path: unknown }).path)
        : 'a source';
    throw new JtsError('JTS_ERR_AUDIT_READ_FAILED', `Cannot read ${name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return verifier.finish();
}
