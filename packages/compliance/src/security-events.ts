import { JtsError } from '@jts/core';
import type { DomainRecord, SecuritySeverity } from './audit-record-input.js';

/** The security event kinds the trail records (`anomaly` comes from the detectors). */
export const SECURITY_EVENT_KINDS = [
  'authentication_failure',
  'permission_denied',
  'configuration_change',
  'data_export',
  'anomaly',
] as const;

/** One security event kind. */
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

const DEFAULT_SEVERITY: Record<SecurityEventKind, SecuritySeverity> = {
  authentication_failure: 'medium',
  permission_denied: 'medium',
  configuration_change: 'low',
  data_export: 'medium',
  anomaly: 'high',
};

/** A security event. */
export interface SecurityEvent {
  readonly kind: SecurityEventKind;
  /** Default per kind: authentication_failure/permission_denied/data_export medium, configuration_change low, anomaly high. */
  readonly severity?: SecuritySeverity;
  /** Who (user, service principal, or the claimed identity of a failed login). */
  readonly user?: string;
  /** Short description. */
  readonly description?: string;
  /** Source address, resource, setting, dataset, detector details... (redacted like every payload). */
  readonly details?: Record<string, unknown>;
}

/**
 * Maps a security event to a `security.<kind>` record.
 *
 * @param event - the event
 * @returns the audit input and its event descriptor
 * @throws JtsError `JTS_ERR_INVALID_ARGUMENT` for an unknown kind or severity
 * @example
 * securityEventRecord({ kind: 'permission_denied', user: 'u-7', details: { resource: '/orders' } }).event.severity; // 'medium'
 */
export function securityEventRecord(event: SecurityEvent): DomainRecord {
  if (!SECURITY_EVENT_KINDS.includes(event?.kind))
    throw new JtsError(
      'JTS_ERR_INVALID_ARGUMENT',
      `recordSecurityEvent: kind must be one of ${SECURITY_EVENT_KINDS.join(', ')}`,
    );
  const severity = event.severity ?? DEFAULT_SEVERITY[event.kind];
  if (!['low', 'medium', 'high', 'critical'].includes(severity))
    throw new JtsError(
      'JTS_ERR_INVALID_ARGUMENT',
      'recordSecurityEvent: severity must be low, medium, high or critical',
    );
  return {
    input: {
      type: `security.${event.kind}`,
      actor: event.user,
      trading: event.user !== undefined ? { userId: event.user } : undefined,
      payload: { severity, description: event.description, details: event.details },
    },
    event: {
      category: 'security',
      action: event.kind.replaceAll('_', '-'),
      outcome: event.kind === 'authentication_failure' || event.kind === 'permission_denied' ? 'failure' : 'unknown',
      level: severity === 'low' ? 'info' : severity === 'medium' ? 'warn' : 'error',
      message: event.description ?? `Security event ${event.kind}`,
      kind: event.kind === 'anomaly' ? 'alert' : 'event',
      severity,
    },
  };
}
