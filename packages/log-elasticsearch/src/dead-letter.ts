import { appendFileSync } from 'node:fs';

/** One document Elasticsearch rejected for good, as written to the dead-letter file. */
export interface DeadLetterRecord {
  /** Why: Elasticsearch's error type and reason, or why the line could not become a document. */
  readonly reason: string;
  /** HTTP status of the item (0 when the line was never sent). */
  readonly status: number;
  /** Target data stream. */
  readonly index: string | undefined;
  /** Deterministic document id. */
  readonly id: string;
  /** The original line. */
  readonly line: string;
}

/** Appends rejected documents to a newline-delimited JSON file. */
export interface DeadLetterFile {
  /** @returns false when the file could not be written (the caller records the error) */
  write(record: DeadLetterRecord): boolean;
}

/**
 * Creates the dead-letter writer. Each record is one JSON line with `@timestamp`, `reason`,
 * `status`, `index`, `_id` and the original `line`, so it can be fixed and re-sent by hand.
 *
 * @param path - file path (created on first write)
 * @returns the writer
 */
export function createDeadLetterFile(path: string): DeadLetterFile {
  return {
    write(record) {
      const entry = {
        '@timestamp': new Date().toISOString(),
        reason: record.reason,
        status: record.status,
        index: record.index,
        _id: record.id,
        line: record.line,
      };
      try {
        appendFileSync(path, `${JSON.stringify(entry)}\n`);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * Short description of a bulk item error for the dead-letter file.
 *
 * @param error - the item's `error` object from Elasticsearch
 * @returns e.g. `mapper_parsing_exception: failed to parse field [x]`
 */
export function describeItemError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { type, reason } = error as { type?: unknown; reason?: unknown };
    return `${String(type ?? 'error')}: ${String(reason ?? '')}`.slice(0, 1000);
  }
  return String(error ?? 'rejected');
}
