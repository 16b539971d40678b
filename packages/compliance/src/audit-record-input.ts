import type { TradingFields } from '@jts/core';

/** A record to append, before chaining. */
export interface AuditRecordInput {
  /** Record type, e.g. `trading.decision`, `order.filled`; `[a-z][a-z0-9_.-]*`, the `audit.` prefix is reserved. */
  readonly type: string;
  /** What happened: plain JSON, passed through the redaction policy. */
  readonly payload?: unknown;
  /** Who acted (user or service principal). Default: the context's `userId`, else the trail's `actor`. */
  readonly actor?: string;
  /** Correlation ID. Default: the current context's. */
  readonly correlationId?: string;
  /** Trading fields added to (and overriding) those of the current context. */
  readonly trading?: TradingFields;
}

/** How a record appears as a log-friendly event (see `AuditEvent`). */
export interface AuditEventDescriptor {
  /** ECS `event.category`, e.g. `trading`, `order`, `security`. */
  readonly category: string;
  /** ECS `event.action`, e.g. `order-filled`. */
  readonly action: string;
  /** ECS `event.outcome`. */
  readonly outcome: 'success' | 'failure' | 'unknown';
  /** Log level for the event line. */
  readonly level: 'info' | 'warn' | 'error';
  /** Human-readable message. */
  readonly message: string;
  /** ECS `event.kind`: `alert` for security detections. */
  readonly kind?: 'event' | 'alert';
  /** Security severity, when there is one. */
  readonly severity?: SecuritySeverity;
}

/** Severity of a security event. */
export type SecuritySeverity = 'low' | 'medium' | 'high' | 'critical';

/** A domain record: the audit input and its event descriptor. */
export interface DomainRecord {
  readonly input: AuditRecordInput;
  readonly event: AuditEventDescriptor;
}
