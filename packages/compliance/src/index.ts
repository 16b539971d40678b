export { createAuditTrail } from './create-audit-trail.js';
export type { AuditTrail } from './create-audit-trail.js';
export type { AuditTrailOptions } from './audit-trail-options.js';
export type { AuditReceipt } from './internal/trail-writer.js';
export type { AuditTrailStats } from './internal/trail-counters.js';
export type { AuditEvent } from './audit-event.js';
export type { AuditEventDescriptor, AuditRecordInput, SecuritySeverity } from './audit-record-input.js';
export { createAuditClock, formatMicros, hrtimeWallClock, parseMicros } from './audit-clock.js';
export type { AuditClock, MicrosecondSource } from './audit-clock.js';
export { nodeAuditFileSystem } from './audit-file-system.js';
export type { AuditFileSystem } from './audit-file-system.js';
export {
  auditKeyId,
  generateAuditKeyPair,
  loadAuditPrivateKey,
  loadAuditPublicKey,
  signCheckpoint,
  verifyCheckpointSignature,
} from './checkpoint.js';
export type { AuditCheckpoint, AuditSigner, PublicKeyInput } from './checkpoint.js';
export { verifyAuditTrail } from './verify-audit-trail.js';
export type { AuditSource, VerifyAuditTrailOptions } from './verify-audit-trail.js';
export type { AuditProblem, AuditProblemKind, AuditVerificationResult, TornTail } from './verification-result.js';
export { tradingDecisionRecord } from './trading-decision.js';
export type { TradingDecision } from './trading-decision.js';
export { ORDER_EVENT_KINDS, orderEventRecord } from './order-events.js';
export type { OrderEvent, OrderEventKind } from './order-events.js';
export { SECURITY_EVENT_KINDS, securityEventRecord } from './security-events.js';
export type { SecurityEvent, SecurityEventKind } from './security-events.js';
export { archiveAuditFile } from './archive-audit-file.js';
export type { ArchiveAuditFileOptions, ArchivedAuditFile } from './archive-audit-file.js';
export { anomalySecurityEvent, createAnomalyDetector } from './anomaly/create-anomaly-detector.js';
export type { AnomalyDetector, AnomalyDetectorOptions } from './anomaly/create-anomaly-detector.js';
export { createOrderRateSpikeDetector } from './anomaly/order-rate-spike.js';
export type { OrderRateSpikeOptions } from './anomaly/order-rate-spike.js';
export { createFatFingerDetector } from './anomaly/fat-finger.js';
export type { FatFingerOptions } from './anomaly/fat-finger.js';
export { createCancelFillRatioDetector } from './anomaly/cancel-fill-ratio.js';
export type { CancelFillRatioOptions } from './anomaly/cancel-fill-ratio.js';
export { createSelfTradeDetector } from './anomaly/self-trade.js';
export type { SelfTradeOptions } from './anomaly/self-trade.js';
export { createTradingHoursDetector } from './anomaly/trading-hours.js';
export type { TradingHoursOptions } from './anomaly/trading-hours.js';
export type { AnomalyDetection, AnomalyDetectorName, Detector, TradingActivity } from './anomaly/types.js';
export { RETENTION_POLICIES } from './retention/retention-policies.js';
export type { RetentionPolicy } from './retention/retention-policies.js';
export {
  AUDIT_MIN_RETENTION_DAYS,
  renderIlmPolicy,
  renderIndexTemplate,
  renderRetentionFiles,
} from './retention/render-elasticsearch.js';
