import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { JtsError, type OperationName, type RedactionPolicy, resolveServiceInfo } from '@jts/core';
import { parseBoolean, parseNumber, resolveOperationsOption, resolveOption } from '@jts/core/internal';
import type { MicrosecondSource } from './audit-clock.js';
import type { AuditEvent } from './audit-event.js';
import { type AuditFileSystem, nodeAuditFileSystem } from './audit-file-system.js';
import {
  type AuditCheckpoint,
  type AuditSigner,
  type CheckpointSigner,
  createCheckpointSigner,
  loadAuditPrivateKey,
} from './checkpoint.js';

/** Options of {@link createAuditTrail}. */
export interface AuditTrailOptions {
  /** Directory holding the trail files (created if missing). Env `JTS_AUDIT_DIR`. Required. */
  readonly directory?: string;
  /** Ed25519 private key signing checkpoints (KeyObject or PKCS#8 PEM). Env `JTS_AUDIT_SIGNING_KEY_FILE` (path to the PEM). Required unless `signer` is given. */
  readonly signingKey?: KeyObject | string | Buffer;
  /** Signs checkpoints with a key kept elsewhere (KMS, HSM) instead of `signingKey`; see {@link AuditSigner}. */
  readonly signer?: AuditSigner;
  /** How long `signer.sign` may take before that checkpoint is given up (counted, retried later). Default 5000. Env `JTS_AUDIT_SIGNER_TIMEOUT_MS`. */
  readonly signerTimeoutMs?: number;
  /** File name prefix: `<prefix>-<YYYY-MM-DD>.<index>.jsonl`. Default `audit`. Env `JTS_AUDIT_FILE_PREFIX`. */
  readonly filePrefix?: string;
  /** Rotate when a file would exceed this many bytes. Default 67108864 (64 MiB). Env `JTS_AUDIT_MAX_FILE_BYTES`. */
  readonly maxFileBytes?: number;
  /** Start a new file when the UTC day of the records changes. Default true. Env `JTS_AUDIT_ROTATE_DAILY`. */
  readonly rotateDaily?: boolean;
  /** Write a signed checkpoint after this many records. Default 1000. Env `JTS_AUDIT_CHECKPOINT_EVERY`. */
  readonly checkpointEvery?: number;
  /** ...and at least this often (ms) while records arrive; 0 disables the timer. Default 60000. Env `JTS_AUDIT_CHECKPOINT_INTERVAL_MS`. */
  readonly checkpointIntervalMs?: number;
  /** Also append every checkpoint (JSON line, fdatasync'd) to this file: put it on other storage. Its directory is created and the file opened at setup (`JTS_ERR_DESTINATION_UNAVAILABLE` if it cannot be). Env `JTS_AUDIT_CHECKPOINT_FILE`. */
  readonly checkpointFile?: string;
  /** Called with every durable checkpoint: ship it somewhere the trail's writers cannot change. */
  readonly onCheckpoint?: (checkpoint: AuditCheckpoint) => void;
  /** Called with a log-friendly object for every settled record (checkpoints excluded). */
  readonly onEvent?: (event: AuditEvent) => void;
  /** Actor when neither the record nor the context names one. Default: the service name (`OTEL_SERVICE_NAME`, ...). */
  readonly actor?: string;
  /** Redaction policy for payloads and trading fields, or false to record them as given. Default: core's `defaultRedactionPolicy`. */
  readonly redaction?: RedactionPolicy | false;
  /** Wall clock in microseconds since the epoch (the trail never lets it go backwards). Default: hrtime anchored to Date. */
  readonly clock?: MicrosecondSource;
  /** File operations after setup (inject failures in tests). Default {@link nodeAuditFileSystem}. */
  readonly fileSystem?: AuditFileSystem;
  /** `['order.execution']` records an `order.submitted` for each `orderExecution` run (fire-and-forget, see the guide); false none. Env `JTS_AUDIT_OPERATIONS`. Default false. */
  readonly operations?: readonly OperationName[] | false;
  /** Make pending records durable and write a checkpoint through core's exit registry on SIGTERM/SIGINT, a fatal error and a drained event loop. Env `JTS_AUDIT_FLUSH_ON_EXIT`. Default true. */
  readonly flushOnExit?: boolean;
  /** Deadline of `close()`, `flush()` and the flush on exit, in ms. Env `JTS_AUDIT_CLOSE_TIMEOUT_MS`. Default 5000. */
  readonly closeTimeoutMs?: number;
  /**
   * The trail's one-writer lock (`<prefix>.lock`) counts as stale, and is taken over, when its
   * holder has not refreshed it for this long (a holder on the same host that is known to be dead
   * is taken over at once). Default 30000. Env `JTS_AUDIT_WRITER_LOCK_STALE_MS`.
   */
  readonly writerLockStaleMs?: number;
  /** Environment to read instead of `process.env` (tests). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Options after defaults and environment. */
export interface ResolvedAuditTrailOptions {
  readonly directory: string;
  readonly signer: CheckpointSigner;
  readonly filePrefix: string;
  readonly maxFileBytes: number;
  readonly rotateDaily: boolean;
  readonly checkpointEvery: number;
  readonly checkpointIntervalMs: number;
  readonly checkpointFile: string | undefined;
  readonly actor: string;
  readonly fileSystem: AuditFileSystem;
  readonly operations: readonly OperationName[] | false;
  readonly flushOnExit: boolean;
  readonly closeTimeoutMs: number;
  readonly writerLockStaleMs: number;
}

const positiveInteger = (value: number) =>
  Number.isSafeInteger(value) && value > 0 ? undefined : 'must be a positive integer';

/**
 * Resolves options > environment > defaults.
 *
 * @param options - what `createAuditTrail` was given
 * @returns the resolved options
 * @throws JtsError `JTS_ERR_INVALID_OPTION` on bad values, naming the option and its env var
 * @example
 * resolveAuditTrailOptions({ directory: '/var/lib/jts/audit', signingKey: pem }).checkpointEvery; // 1000
 */
export function resolveAuditTrailOptions(options: AuditTrailOptions): ResolvedAuditTrailOptions {
  const environment = options.env ?? process.env;
  const common = { environment };
  const directory = resolveOption<string>({
    ...common,
    name: 'directory',
    option: options.directory,
    env: 'JTS_AUDIT_DIR',
    default: '',
    validate: (value) => (typeof value === 'string' && value !== '' ? undefined : 'must be a non-empty path'),
  });
  if (directory === '')
    throw new JtsError('JTS_ERR_INVALID_OPTION', 'createAuditTrail: directory is required (or set JTS_AUDIT_DIR)');
  const signerTimeoutMs = resolveOption({
    ...common,
    name: 'signerTimeoutMs',
    option: options.signerTimeoutMs,
    env: 'JTS_AUDIT_SIGNER_TIMEOUT_MS',
    parse: parseNumber({ min: 1, integer: true }),
    default: 5000,
    validate: positiveInteger,
  });
  let signingKey: KeyObject | AuditSigner;
  if (options.signer !== undefined && options.signingKey !== undefined) {
    throw new JtsError('JTS_ERR_INVALID_OPTION', 'createAuditTrail: give either signingKey or signer, not both');
  }
  if (options.signer !== undefined) signingKey = options.signer;
  else if (options.signingKey !== undefined) signingKey = loadAuditPrivateKey(options.signingKey);
  else {
    const file = environment.JTS_AUDIT_SIGNING_KEY_FILE?.trim();
    if (!file)
      throw new JtsError(
        'JTS_ERR_INVALID_OPTION',
        'createAuditTrail: signingKey or signer is required (or set JTS_AUDIT_SIGNING_KEY_FILE to an Ed25519 PKCS#8 PEM file)',
      );
    let pem: Buffer;
    try {
      pem = readFileSync(file);
    } catch (error) {
      throw new JtsError(
        'JTS_ERR_INVALID_OPTION',
        `createAuditTrail: cannot read JTS_AUDIT_SIGNING_KEY_FILE (${file})`,
        { cause: error },
      );
    }
    signingKey = loadAuditPrivateKey(pem);
  }
  return {
    directory,
    signer: createCheckpointSigner(signingKey, signerTimeoutMs),
    filePrefix: resolveOption<string>({
      ...common,
      name: 'filePrefix',
      option: options.filePrefix,
      env: 'JTS_AUDIT_FILE_PREFIX',
      default: 'audit',
      validate: (value) => (/^[A-Za-z0-9_-]{1,64}$/.test(value) ? undefined : 'must be 1-64 letters, digits, _ or -'),
    }),
    maxFileBytes: resolveOption({
      ...common,
      name: 'maxFileBytes',
      option: options.maxFileBytes,
      env: 'JTS_AUDIT_MAX_FILE_BYTES',
      parse: parseNumber({ min: 1, integer: true }),
      default: 64 * 1024 * 1024,
      validate: positiveInteger,
    }),
    rotateDaily: resolveOption({
      ...common,
      name: 'rotateDaily',
      option: options.rotateDaily,
      env: 'JTS_AUDIT_ROTATE_DAILY',
      parse: parseBoolean,
      default: true,
    }),
    checkpointEvery: resolveOption({
      ...common,
      name: 'checkpointEvery',
      option: options.checkpointEvery,
      env: 'JTS_AUDIT_CHECKPOINT_EVERY',
      parse: parseNumber({ min: 1, integer: true }),
      default: 1000,
      validate: positiveInteger,
    }),
    checkpointIntervalMs: resolveOption({
      ...common,
      name: 'checkpointIntervalMs',
      option: options.checkpointIntervalMs,
      env: 'JTS_AUDIT_CHECKPOINT_INTERVAL_MS',
      parse: parseNumber({ min: 0, integer: true }),
      default: 60_000,
      validate: (value) => (Number.isSafeInteger(value) && value >= 0 ? undefined : 'must be an integer >= 0'),
    }),
    checkpointFile: resolveOption<string | undefined>({
      ...common,
      name: 'checkpointFile',
      option: options.checkpointFile,
      env: 'JTS_AUDIT_CHECKPOINT_FILE',
      default: undefined,
      validate: (value) => (typeof value === 'string' && value !== '' ? undefined : 'must be a non-empty path'),
    }),
    actor: options.actor ?? resolveServiceInfo({}, environment).name,
    fileSystem: options.fileSystem ?? nodeAuditFileSystem,
    operations: resolveOperationsOption({
      ...common,
      name: 'operations',
      option: options.operations,
      env: 'JTS_AUDIT_OPERATIONS',
      default: false,
      supported: ['order.execution'],
    }),
    flushOnExit: resolveOption({
      ...common,
      name: 'flushOnExit',
      option: options.flushOnExit,
      env: 'JTS_AUDIT_FLUSH_ON_EXIT',
      parse: parseBoolean,
      default: true,
    }),
    closeTimeoutMs: resolveOption({
      ...common,
      name: 'closeTimeoutMs',
      option: options.closeTimeoutMs,
      env: 'JTS_AUDIT_CLOSE_TIMEOUT_MS',
      parse: parseNumber({ min: 0, integer: true }),
      default: 5000,
      validate: (value) =>
        Number.isSafeInteger(value) && value >= 0 ? undefined : 'must be a non-negative integer (ms)',
    }),
    writerLockStaleMs: resolveOption({
      ...common,
      name: 'writerLockStaleMs',
      option: options.writerLockStaleMs,
      env: 'JTS_AUDIT_WRITER_LOCK_STALE_MS',
      parse: parseNumber({ min: 30, integer: true }),
      default: 30_000,
      validate: (value) => (Number.isSafeInteger(value) && value >= 30 ? undefined : 'must be an integer >= 30'),
    }),
  };
}
