/**
 * The shapes of every JTS package's `stats()` object, defined once here so that the packages
 * return them and `@jts/metrics` binds its self-metrics to their fields by type (a renamed field
 * is a compile error there, not a silently missing metric). Types only: no runtime code.
 *
 * @packageDocumentation
 */

/** Counters of correlation IDs seen by this process (`correlationIdStats()`); copies of `@jts/core` count apart. */
export interface CorrelationIdStats {
  /** Incoming IDs that matched the pattern and were kept. */
  readonly accepted: number;
  /** IDs made here (`newCorrelationId()`), for requests without one or with a rejected one. */
  readonly generated: number;
  /** Incoming IDs refused (wrong type, empty, too long, characters outside the pattern). */
  readonly rejected: number;
}

/** The six pino level names, the keys of {@link LoggerStats.lines}. */
export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Counters of the Elasticsearch shipper, monotonic since its destination was created. */
export interface LogShippingStats {
  /** Lines the shipper received from the logger (spooled or dropped). */
  readonly received: number;
  /** Lines Elasticsearch acknowledged in their data stream (created, or 409: already there). */
  readonly shipped: number;
  /** Documents sent again after a 429, 5xx, timeout or connection failure. */
  readonly retried: number;
  /** Bytes on disk in the spool not yet acknowledged by Elasticsearch. */
  readonly spooledBytes: number;
  /** Documents Elasticsearch rejected for good, written to the dead-letter file. */
  readonly deadLettered: number;
  /** Lines dropped because the spool was full (`drop-newest`) or could not be written. */
  readonly dropped: number;
  /** `_bulk` requests that failed as a whole (connection refused, timeout, 429, 5xx). */
  readonly failedRequests: number;
  /** Heap used by the shipper's worker thread, in bytes. */
  readonly shipperHeapUsedBytes: number;
  /** `fdatasync` calls that forced spooled lines to disk (`spoolSyncIntervalMs`). */
  readonly spoolSyncs: number;
  /** Message of the most recent shipping error, if any. */
  readonly lastError: string | undefined;
}

/** Counters of a logger (`logger.stats()` of `@jts/log`). */
export interface LoggerStats {
  /** Lines written, by level (operation lines included). */
  readonly lines: Readonly<Record<LogLevelName, number>>;
  /** All lines written. */
  readonly total: number;
  /**
   * Line deliveries lost: a destination's buffer limit reached (its reader stalled), a write
   * that failed, or a write after `close()`. Counted per destination.
   */
  readonly dropped: number;
  /** Completion / failure lines written for operation runs. */
  readonly operationLines: number;
  /** The Elasticsearch shipper's own counters, when shipping is on. */
  readonly elasticsearch?: LogShippingStats;
}

/**
 * Span counts since `initTracing` (`tracing.stats()` of `@jts/trace`). After `close()`,
 * `exported + dropped + rejected === ended`: every ended span is accounted for.
 */
export interface TracingStats {
  readonly spans: {
    /** Recording spans started (sampled or recording-only). */
    readonly started: number;
    /** Recording spans ended. */
    readonly ended: number;
    /** Spans the collector accepted (sent in a successful export, minus those it rejected). */
    readonly exported: number;
    /** Spans lost before the collector: queue full, an export that failed after its retries, or still unexported when `close()` ended (at its deadline, or at once when no collector listens). */
    readonly dropped: number;
    /** Spans the collector answered with as rejected (`partialSuccess.rejectedSpans`). */
    readonly rejected: number;
  };
  readonly exports: {
    /** Exports that failed (each may have carried up to a batch of spans). */
    readonly failed: number;
  };
}

/** Counters of an audit trail (`audit.stats()` of `@jts/compliance`). */
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
  /** Sequence number of the last durable record. */
  readonly lastSeq: number;
  /** Hash of the last durable record. */
  readonly headHash: string;
}

/** Counters of the HTTP adapters, process-wide (`httpStats()` of `@jts/http`). */
export interface HttpStats {
  /** Requests observed as `http.server.request` runs. */
  readonly requests: number;
  /** Requests skipped by the exclusion rules (no span, no line, no series). */
  readonly excluded: number;
  /** Requests whose client went away before the response ended (outcome `aborted`). */
  readonly aborted: number;
  /** Requests closed out by `requestTimeoutMs` (outcome `timeout`). */
  readonly timedOut: number;
  /** Responses that ended after their request had been closed out by the timeout. */
  readonly lateResponses: number;
  /** Handler errors the adapter answered with a 500 (or a destroyed socket when headers were out). */
  readonly handlerErrors: number;
  /** Requests answered with 503 because the process was ending (`refuseWhileExiting`). */
  readonly refused: number;
}
