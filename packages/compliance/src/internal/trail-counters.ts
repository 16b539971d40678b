import type { AuditTrailStats } from '@jts/core';
import type { BuiltRecord } from './record-builder.js';

/** Counters of an audit trail (`audit.stats()`); the shape lives in `@jts/core`, where `@jts/metrics` binds its self-metrics to it by type. */
export type { AuditTrailStats };

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
