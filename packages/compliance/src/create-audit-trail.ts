import type { KeyObject } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { JtsError, currentContext, reportDiagnostic, toTradingAttributes } from '@jts/core';
import {
  type LockFile,
  acquireLockFile,
  isGeneratedCorrelationId,
  registerExitFlush,
  withDeadline,
} from '@jts/core/internal';
import { createAuditClock, formatMicros } from './audit-clock.js';
import { type AuditEvent, toAuditEvent } from './audit-event.js';
import type { AuditEventDescriptor, AuditRecordInput } from './audit-record-input.js';
import { type AuditTrailOptions, resolveAuditTrailOptions } from './audit-trail-options.js';
import type { AuditCheckpoint } from './checkpoint.js';
import { createCheckpointExporter } from './internal/checkpoint-exporter.js';
import { prepareCheckpointFile } from './internal/checkpoint-file.js';
import { createRecordRedaction } from './internal/record-redaction.js';
import { type AuditTrailStats, createTrailCounters } from './internal/trail-counters.js';
import { openTrailTail } from './internal/trail-files.js';
import { type AuditReceipt, TrailWriter } from './internal/trail-writer.js';
import { subscribeOrderSubmissions } from './order-submission-audit.js';
import { type OrderEvent, orderEventRecord } from './order-events.js';
import { type SecurityEvent, securityEventRecord } from './security-events.js';
import { type TradingDecision, tradingDecisionRecord } from './trading-decision.js';

/** An open audit trail. */
export interface AuditTrail {
  /** Directory of the trail files. */
  readonly directory: string;
  /** Public half of the signing key: what verifiers need. */
  readonly publicKey: KeyObject;
  /**
   * Appends a record; resolves once it is on disk (fdatasync'd, group commit).
   * @throws (rejects) JtsError `JTS_ERR_AUDIT_NOT_DURABLE` when it could not be made durable (counted);
   *   `JTS_ERR_INVALID_ARGUMENT` for a bad type or a payload that is not plain JSON; `JTS_ERR_CLOSED` after close()
   */
  record(input: AuditRecordInput): Promise<AuditReceipt>;
  /** Records a `trading.decision`. */
  recordTradingDecision(decision: TradingDecision): Promise<AuditReceipt>;
  /** Records an `order.<kind>` lifecycle event. */
  recordOrderEvent(event: OrderEvent): Promise<AuditReceipt>;
  /** Records a `security.<kind>` event. */
  recordSecurityEvent(event: SecurityEvent): Promise<AuditReceipt>;
  /** Writes a signed checkpoint now (if records came since the last one); resolves to it. */
  checkpoint(): Promise<AuditCheckpoint | undefined>;
  /** Counters for `@jts/metrics` or a health endpoint. */
  stats(): AuditTrailStats;
  /** Resolves once every record appended so far is durable (or has failed), within `closeTimeoutMs`. */
  flush(): Promise<void>;
  /**
   * Waits for pending records, writes a final checkpoint (the seal), closes the file and releases
   * the writer lock. Idempotent; resolves within `closeTimeoutMs` (a write still hanging then
   * keeps the lock until it ends).
   */
  close(): Promise<void>;
}

const RECORD_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;
const GENERIC: Omit<AuditEventDescriptor, 'action'> = {
  category: 'audit',
  outcome: 'unknown',
  level: 'info',
  message: 'Audit record',
};

/**
 * Opens (or continues) a hash-chained, signed, append-only audit trail in a directory, as its one
 * writer (a `<prefix>.lock` file keeps a second writer out). Setup is synchronous: it recovers a
 * torn last line left by a crash (kept in a sidecar file and recorded as
 * an `audit.recovered` record) and continues the chain from the last complete record.
 *
 * @param options - see {@link AuditTrailOptions}; `directory` and `signingKey` are required
 * @returns the trail
 * @throws JtsError `JTS_ERR_INVALID_OPTION`, `JTS_ERR_DESTINATION_UNAVAILABLE`, `JTS_ERR_AUDIT_TRAIL_CORRUPT`,
 *   `JTS_ERR_AUDIT_LOCKED` (another writer holds the trail: one writer per directory and prefix)
 * @example
 * const audit = createAuditTrail({ directory: '/var/lib/jts/audit', signingKey: readFileSync('audit-key.pem') });
 * await audit.recordOrderEvent({ kind: 'filled', orderId: 'o-1', symbol: 'AAPL', filledQuantity: 100 });
 */
export function createAuditTrail(options: AuditTrailOptions = {}): AuditTrail {
  const resolved = resolveAuditTrailOptions(options);
  let tail: ReturnType<typeof openTrailTail>;
  let lock: LockFile | undefined;
  let lockLost: string | undefined;
  try {
    mkdirSync(resolved.directory, { recursive: true });
    if (resolved.checkpointFile !== undefined) prepareCheckpointFile(resolved.checkpointFile);
    // The lock comes first: recovering a torn tail and continuing the chain are one writer's job.
    lock = acquireLockFile({
      path: join(resolved.directory, `${resolved.filePrefix}.lock`),
      subject: `The audit trail "${resolved.filePrefix}" in ${resolved.directory}`,
      code: 'JTS_ERR_AUDIT_LOCKED',
      hint: 'two writers would fork the chain. Give each process its own directory or filePrefix.',
      staleMs: resolved.writerLockStaleMs,
      onLost(why) {
        lockLost = why;
        reportDiagnostic({
          source: 'compliance',
          event: 'audit_writer_lock_lost',
          message: `the writer lock of ${resolved.directory} is no longer ours (${why}); records are refused`,
        });
      },
    });
    tail = openTrailTail(resolved.directory, resolved.filePrefix);
  } catch (error) {
    lock?.release();
    if (error instanceof JtsError) throw error;
    throw new JtsError(
      'JTS_ERR_DESTINATION_UNAVAILABLE',
      `createAuditTrail: cannot open the trail in ${resolved.directory} (JTS_AUDIT_DIR): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const writerLock = lock;
  // `redaction: false` bounds payloads and trading fields without redacting them.
  const redaction = createRecordRedaction(options.redaction);
  const clock = createAuditClock(options.clock);
  clock.floor(tail.head.micros);
  const counters = createTrailCounters();
  const exporter = createCheckpointExporter(resolved.checkpointFile, options.onCheckpoint, counters);
  let lastCheckpoint: AuditCheckpoint | undefined;
  const writer = new TrailWriter({
    directory: resolved.directory,
    prefix: resolved.filePrefix,
    maxFileBytes: resolved.maxFileBytes,
    rotateDaily: resolved.rotateDaily,
    checkpointEvery: resolved.checkpointEvery,
    signer: resolved.signer,
    fileSystem: resolved.fileSystem,
    tail,
    onDurable(records, checkpoints) {
      counters.durable(records);
      for (const checkpoint of checkpoints) exporter.export((lastCheckpoint = checkpoint));
    },
    onFailure(count, error) {
      counters.notDurable += count;
      reportDiagnostic({
        source: 'compliance',
        event: 'audit_not_durable',
        message: `${count} audit record(s) not durable`,
        error,
      });
    },
    onFsync: () => void (counters.fsyncs += 1),
    onRotate: () => void (counters.rotations += 1),
    onCheckpointFailed(error) {
      counters.checkpointSignFailures += 1;
      reportDiagnostic({
        source: 'compliance',
        event: 'checkpoint_sign_failed',
        message: `an audit checkpoint could not be signed and was left out: ${(error as Error)?.message ?? String(error)}`,
        error,
      });
    },
  });
  let closed = false;
  let accepted = 0;

  function emit(
    descriptor: AuditEventDescriptor,
    record: Parameters<typeof toAuditEvent>[1],
    receipt: AuditReceipt | undefined,
  ): void {
    if (!options.onEvent) return;
    counters.events += 1;
    try {
      options.onEvent(toAuditEvent(descriptor, record, receipt));
    } catch (error) {
      reportDiagnostic({ source: 'compliance', event: 'on_event_failed', error });
    }
  }

  function append(
    input: AuditRecordInput,
    descriptor: AuditEventDescriptor | undefined,
    internal = false,
  ): Promise<AuditReceipt> {
    if (closed)
      return Promise.reject(
        new JtsError('JTS_ERR_CLOSED', 'The audit trail is closed; records can no longer be appended'),
      );
    if (lockLost !== undefined) {
      counters.notDurable += 1;
      return Promise.reject(
        new JtsError(
          'JTS_ERR_AUDIT_LOCKED',
          `The audit trail's writer lock was lost (${lockLost}); the record is not in the trail`,
        ),
      );
    }
    let fields: {
      type: string;
      actor: string;
      correlationId: string | undefined;
      trading: Record<string, string>;
      payload: unknown;
    };
    try {
      if (
        typeof input?.type !== 'string' ||
        !RECORD_TYPE.test(input.type) ||
        (!internal && input.type.startsWith('audit.'))
      ) {
        throw new JtsError(
          'JTS_ERR_INVALID_ARGUMENT',
          `audit record type must match ${RECORD_TYPE} and not start with "audit." (got ${JSON.stringify(input?.type)})`,
        );
      }
      const context = currentContext();
      const correlationId = input.correlationId ?? context?.correlationId;
      fields = {
        type: input.type,
        actor: redaction.text(String(input.actor ?? context?.fields.userId ?? resolved.actor)),
        correlationId:
          correlationId === undefined
            ? undefined
            : isGeneratedCorrelationId(String(correlationId))
              ? String(correlationId)
              : redaction.text(String(correlationId)),
        trading: redaction.trading({
          ...context?.attributes,
          ...(input.trading && toTradingAttributes(input.trading)),
        }),
        payload: redaction.payload(input.payload ?? {}),
      };
    } catch (error) {
      return Promise.reject(error);
    }
    const micros = clock.nowMicros();
    accepted += 1;
    const event = descriptor ?? { ...GENERIC, action: input.type.replaceAll('.', '-') };
    return new Promise<AuditReceipt>((resolve, reject) => {
      writer.enqueue({
        micros,
        fields,
        resolve(receipt) {
          emit(event, { ...fields, ts: receipt!.ts }, receipt);
          resolve(receipt!);
        },
        reject(error) {
          emit(event, { ...fields, ts: formatMicros(micros) }, undefined);
          reject(error);
        },
      });
    });
  }

  function checkpoint(): Promise<AuditCheckpoint | undefined> {
    if (closed) return Promise.reject(new JtsError('JTS_ERR_CLOSED', 'The audit trail is closed'));
    if (lockLost !== undefined)
      return Promise.reject(
        new JtsError(
          'JTS_ERR_AUDIT_LOCKED',
          `The audit trail's writer lock was lost (${lockLost}); no checkpoint is written`,
        ),
      );
    return new Promise((resolve, reject) => {
      writer.enqueue({
        micros: clock.nowMicros(),
        fields: undefined,
        resolve: (receipt) => resolve(receipt ? lastCheckpoint : undefined),
        reject,
      });
    });
  }

  if (tail.recovered) {
    counters.recoveredTornBytes += tail.recovered.bytes;
    reportDiagnostic({
      source: 'compliance',
      event: 'torn_tail_recovered',
      message: `cut ${tail.recovered.bytes} torn bytes from ${tail.recovered.file}; kept in ${tail.recovered.sidecar}`,
    });
    append(
      {
        type: 'audit.recovered',
        actor: 'jts-audit',
        payload: { reason: 'torn last line after a crash', ...tail.recovered },
      },
      undefined,
      true,
    ).catch(() => undefined);
  }
  if (writerLock.takeover) {
    const { previous, reason } = writerLock.takeover;
    reportDiagnostic({
      source: 'compliance',
      event: 'audit_writer_lock_taken_over',
      message: `took over the writer lock of ${resolved.directory}: ${reason}`,
    });
    const holder = previous && { pid: previous.pid, hostname: previous.hostname, since: previous.since };
    append(
      { type: 'audit.lock_recovered', actor: 'jts-audit', payload: { reason, previous: holder ?? null } },
      undefined,
      true,
    ).catch(() => undefined);
  }
  let timed: Promise<unknown> | undefined;
  const timer =
    resolved.checkpointIntervalMs > 0
      ? setInterval(() => {
          // One timed checkpoint at a time, and none while the signer's pause after failures lasts.
          if (timed !== undefined || writer.signingPaused || (writer.sinceCheckpoint === 0 && writer.pending === 0))
            return;
          timed = checkpoint()
            .catch(() => undefined)
            .finally(() => {
              timed = undefined;
            });
        }, resolved.checkpointIntervalMs).unref()
      : undefined;
  const unsubscribe =
    resolved.operations !== false && resolved.operations.includes('order.execution')
      ? subscribeOrderSubmissions((input) => append(input, undefined))
      : undefined;
  const publicKey = resolved.signer.publicKey;
  // On SIGTERM, a fatal error or a drained event loop: pending records become durable and a
  // checkpoint covers them, within the deadline. Not a close: an application handler may go on
  // recording during its own shutdown, and closes the trail itself.
  const unregisterExit = resolved.flushOnExit
    ? registerExitFlush({
        name: 'audit',
        timeoutMs: resolved.closeTimeoutMs,
        received: () => accepted,
        flush: (timeoutMs) =>
          withDeadline(
            (async () => {
              await writer.drain();
              if (!closed && lockLost === undefined) await checkpoint().catch(() => undefined);
              await exporter.flush();
            })(),
            timeoutMs,
          ).then((settled) => {
            // As close() does: the process ends next, and records may be neither durable nor sealed.
            if (settled === 'timed-out')
              reportDiagnostic({
                source: 'compliance',
                event: 'exit_flush_timed_out',
                message: `the exit flush passed closeTimeoutMs (${timeoutMs} ms) with writes pending: the trail may end without its seal (JTS_AUDIT_CLOSE_TIMEOUT_MS)`,
              });
          }),
      })
    : () => {};
  let closing: Promise<void> | undefined;

  return {
    directory: resolved.directory,
    publicKey,
    record: (input) => append(input, undefined),
    recordTradingDecision: (decision) => appendDomain(() => tradingDecisionRecord(decision)),
    recordOrderEvent: (event) => appendDomain(() => orderEventRecord(event)),
    recordSecurityEvent: (event) => appendDomain(() => securityEventRecord(event)),
    checkpoint,
    stats: () => counters.snapshot(writer),
    async flush() {
      await withDeadline(writer.drain(), resolved.closeTimeoutMs);
    },
    close() {
      closing ??= (async () => {
        if (timer) clearInterval(timer);
        unsubscribe?.();
        unregisterExit();
        const seal = checkpoint().catch(() => undefined);
        closed = true;
        const done = (async () => {
          await seal;
          await writer.close();
          writerLock.release();
          await exporter.flush();
        })();
        if ((await withDeadline(done, resolved.closeTimeoutMs)) === 'timed-out') {
          reportDiagnostic({
            source: 'compliance',
            event: 'close_timed_out',
            message: `close() passed closeTimeoutMs (${resolved.closeTimeoutMs} ms) with writes pending; the writer lock is released when they end`,
          });
        }
      })();
      return closing;
    },
  };

  function appendDomain(build: () => { input: AuditRecordInput; event: AuditEventDescriptor }): Promise<AuditReceipt> {
    let domain: { input: AuditRecordInput; event: AuditEventDescriptor };
    try {
      domain = build();
    } catch (error) {
      return Promise.reject(error);
    }
    return append(domain.input, domain.event);
  }
}

export type { AuditReceipt };
export type { AuditEvent };
