import type { AuditEventDescriptor } from './audit-record-input.js';

/**
 * A record as a log-friendly object (ECS field names, `correlation_id`, `trading.*`), handed to
 * the `onEvent` option once the record is durable (or has failed), so it can be written by any
 * logger without this package importing one.
 */
export interface AuditEvent {
  readonly '@timestamp': string;
  readonly 'log.level': 'info' | 'warn' | 'error';
  readonly message: string;
  readonly 'event.kind': 'event' | 'alert';
  readonly 'event.category': string;
  readonly 'event.action': string;
  readonly 'event.outcome': 'success' | 'failure' | 'unknown';
  /** Security severity (`low` ... `critical`) for security events. */
  readonly 'event.severity'?: string;
  /** Record type, e.g. `order.filled`. */
  readonly 'audit.type': string;
  /** Whether the record reached the disk; false means the record call rejected. */
  readonly 'audit.durable': boolean;
  readonly 'audit.seq'?: number;
  readonly 'audit.hash'?: string;
  readonly correlation_id?: string;
  /** `trading.*` fields and the redacted payload under `audit.payload`. */
  readonly [key: string]: unknown;
}

/**
 * Builds the event object for one settled record.
 *
 * @param descriptor - category, action, outcome, level, message of the record
 * @param record - the record's fields (redacted)
 * @param receipt - seq and hash when durable, undefined when the record failed
 * @returns the log-friendly event
 * @example
 * toAuditEvent(descriptor, record, { seq: 42, hash })['audit.seq']; // 42
 */
export function toAuditEvent(
  descriptor: AuditEventDescriptor,
  record: {
    type: string;
    ts: string;
    correlationId: string | undefined;
    trading: Readonly<Record<string, string>>;
    payload: unknown;
  },
  receipt: { seq: number; hash: string } | undefined,
): AuditEvent {
  const event: Record<string, unknown> = {
    '@timestamp': record.ts,
    'log.level': receipt ? descriptor.level : 'error',
    message: receipt ? descriptor.message : `${descriptor.message} (audit record NOT durable)`,
    'event.kind': descriptor.kind ?? 'event',
    'event.category': descriptor.category,
    'event.action': descriptor.action,
    'event.outcome': descriptor.outcome,
    'audit.type': record.type,
    'audit.durable': receipt !== undefined,
  };
  if (descriptor.severity !== undefined) event['event.severity'] = descriptor.severity;
  if (receipt) {
    event['audit.seq'] = receipt.seq;
    event['audit.hash'] = receipt.hash;
  }
  if (record.correlationId !== undefined) event.correlation_id = record.correlationId;
  Object.assign(event, record.trading);
  event['audit.payload'] = record.payload;
  return event as AuditEvent;
}
