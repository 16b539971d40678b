/** What kind of problem a verification found. */
export type AuditProblemKind =
  /** A line that is not a JTS audit record (bad prefix, not JSON, empty line). */
  | 'malformed'
  /** A record whose bytes do not match its own hash: it was modified. */
  | 'hash_mismatch'
  /** Sequence numbers do not follow: a record was deleted, inserted or moved. */
  | 'sequence_gap'
  /** `prev` does not name the previous record's hash. */
  | 'broken_link'
  /** A timestamp is malformed or earlier than its predecessor's. */
  | 'timestamp_regression'
  /** An inline or trusted checkpoint whose signature, key or coverage is invalid. */
  | 'forged_checkpoint'
  /** A record at a trusted checkpoint's sequence number differs from the signed head. */
  | 'checkpoint_mismatch'
  /** The trail ends before a trusted checkpoint's count: truncated or rolled back. */
  | 'rollback'
  /** The trail does not start at seq 1 and no trusted checkpoint anchors its first record. */
  | 'missing_start'
  /** An incomplete line that is not at the very end of the trail. */
  | 'torn_line';

/** The first problem found. */
export interface AuditProblem {
  readonly kind: AuditProblemKind;
  /** First bad sequence number: the record expected at the place where the trail stops being valid. */
  readonly seq: number;
  /** File (as given) and 1-based line number where it was found (0: not tied to a line). */
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** An incomplete last line (no newline): what a crash in the middle of a write leaves. Never counted as valid. */
export interface TornTail {
  readonly file: string;
  /** Byte offset of the torn line in the file. */
  readonly offset: number;
  /** Its length in bytes. */
  readonly bytes: number;
  /** 1-based line number. */
  readonly line: number;
  /** Sequence number it would have had. */
  readonly seq: number;
}

/** Outcome of `verifyAuditTrail`. */
export interface AuditVerificationResult {
  /** True when no integrity problem was found (a torn tail alone does not make it false; see `torn`). */
  readonly ok: boolean;
  /** Valid records (including checkpoint records) before the first problem. */
  readonly records: number;
  /** Sequence number and hash of the last valid record (0 and the genesis hash when none). */
  readonly lastSeq: number;
  readonly headHash: string;
  /** Inline checkpoints whose signature was verified. */
  readonly checkpoints: number;
  /** Whether the last valid record is a checkpoint (the trail was closed cleanly or just checkpointed). */
  readonly sealed: boolean;
  /** Records after the last verified checkpoint: protected by the hash chain only. */
  readonly uncheckpointed: number;
  /** First bad sequence number when `ok` is false. */
  readonly firstBadSeq: number | undefined;
  readonly problem: AuditProblem | undefined;
  /** A torn last line, reported and not counted. */
  readonly torn: TornTail | undefined;
  /** Valid records per file, in the order given. */
  readonly files: readonly { readonly file: string; readonly records: number }[];
}
