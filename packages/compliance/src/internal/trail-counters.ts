import type { BuiltRecord } from './record-builder.js';

/** Counters of an audit trail (`audit.stats()`), for `@jts/metrics` to collect without an import. */
export interface AuditTrailStats {
  /** Durable records (checkpoints excluded). */
  readonly recorded: number;
  /** Durable records by type (checkpoints included as `audit.checkpoint`). */
  readonly byType: Readonly<Record<string, number>>;
  /** Records whose `record()` rejected with `JTS_ERR_AUDIT_NOT_DURABLE`. */
  readonly notDurable: number;
  /** Signed checkpoints written. */
  readonly checkpoints: number;
  /** fdatasync calls: with group commit, far fewer than records. */
  readonly fsyncs: number;
  /** Files started (rotation by size or day, and the first file). */
  readonly rotations: number;
  /** Log-friendly events handed to `onEvent`. */
  readonly events: number;
  /** Checkpoints left out because the signer failed or timed out (an external `signer`). */
  readonly checkpointSignFailures: number;
  /** Checkpoints that could not be written to `checkpointFile` or threw in `onCheckpoint`. */
  readonly checkpointExportFailures: number;
  /** Torn bytes cut off when the trail was reopened after a crash. */
  readonly recoveredTornBytes: number;
  /** Records waiting for the next group commit. */
  readonly pending: number;
  /** Sequence number and hash of the last durable record. */
  readonly lastSeq: number;
  readonly headHash: string;
}

/** Mutable counters behind {@link AuditTrailStats}. */
export function createTrailCounters() {
  const byType: Record<string, number> = {};
  const counters = {
    recorded: 0,
    notDurable: 0,
    checkpoints: 0,
    fsyncs: 0,
    rotations: 0,
    events: 0,
    checkpointExportFailures: 0,
    checkpointSignFailures: 0,
    recoveredTornBytes: 0,
    durable(records: readonly BuiltRecord[]): void {
      for (const record of records) {
        byType[record.type] = (byType[record.type] ?? 0) + 1;
        if (record.type === 'audit.checkpoint') counters.checkpoints += 1;
        else counters.recorded += 1;
      }
    },
    snapshot(writer: { pending: number; head: { seq: number; hash: string } }): AuditTrailStats {
      return {
        recorded: counters.recorded,
        byType: { ...byType },
        notDurable: counters.notDurable,
        checkpoints: counters.checkpoints,
        fsyncs: counters.fsyncs,
        rotations: counters.rotations,
        events: counters.events,
        checkpointExportFailures: counters.checkpointExportFailures,
        checkpointSignFailures: counters.checkpointSignFailures,
        recoveredTornBytes: counters.recoveredTornBytes,
        pending: writer.pending,
        lastSeq: writer.head.seq,
        headHash: writer.head.hash,
      };
    },
  };
  return counters;
}
