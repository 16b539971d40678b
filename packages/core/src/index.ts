export { JtsError, JtsErrorCodes, isJtsError } from './errors.js';
export type { JtsErrorCode } from './errors.js';
export { DIAGNOSTICS_CHANNEL, onDiagnostic, reportDiagnostic } from './diagnostics.js';
export type { JtsDiagnostic } from './diagnostics.js';
export {
  CORRELATION_ID_ATTRIBUTE,
  TRADING_CONVENTIONS,
  TradingAttributes,
  TradingMetricLabels,
  toTradingAttributes,
  toTradingMetricLabels,
  tradingConvention,
} from './conventions.js';
export type { TradingConvention, TradingFieldName, TradingFields } from './conventions.js';
export {
  CORRELATION_ID_HEADER,
  CORRELATION_ID_PATTERN,
  acceptCorrelationId,
  correlationIdStats,
  newCorrelationId,
} from './correlation-id.js';
export {
  contextStorage,
  contextWithSlot,
  correlationId,
  createContext,
  currentContext,
  runInContext,
  runWithContext,
  runWithSlot,
  withFields,
} from './context.js';
export type { ContextInit, JtsContext } from './context.js';
export { CORRELATION_ID_BAGGAGE_KEY, extractContext, injectHeaders, runFromHeaders } from './propagation.js';
export type { ExtractedContext, HeaderCarrier, PropagationOptions } from './propagation.js';
export {
  OPERATION_NAMES,
  brokerApiCall,
  defineOperation,
  httpServerRequest,
  marketDataProcessing,
  operations,
  orderExecution,
  riskCheck,
  strategyExecution,
} from './operations.js';
export type {
  OpenOperationScope,
  Operation,
  OperationAttributes,
  OperationMessage,
  OperationName,
  OperationScope,
  OperationStatus,
  RunVerdict,
} from './operations.js';
export type {
  BrokerApiCallAttributes,
  HttpServerRequestAttributes,
  OperationAttributeTypes,
  RequestHeaders,
  TradingRunAttributes,
} from './operation-attributes.js';
export {
  ERROR_OUTCOMES,
  HTTP_OUTCOMES,
  OUTCOME_SIGNALS,
  errorTypeOf,
  httpOutcomeOf,
  normalizeOutcome,
  outcomeClassOf,
} from './run-outcome.js';
export type { HttpOutcome, OutcomeClass, OutcomeSignals } from './run-outcome.js';
export { runSubscriberStats, subscribeRuns } from './subscribe-runs.js';
export type { FinishedRun, RunSubscriber, RunSubscriberStats } from './subscribe-runs.js';
export {
  DEFAULT_MASK_KEYS,
  DEFAULT_REDACT_KEYS,
  DEFAULT_REDACTION_PATTERNS,
  createRedactionPolicy,
  defaultRedactionPolicy,
  maskLast4,
  normalizeKey,
} from './redaction.js';
export type { RedactionPattern, RedactionPolicy, RedactionPolicyOptions } from './redaction.js';
export { createRedactor } from './redactor.js';
export type { KeyTreatment, Redactor, StringBound } from './redactor.js';
export { DEFAULT_REDACTION_LIMITS, truncateString } from './redaction-limits.js';
export type { RedactionLimits } from './redaction-limits.js';
export { createValueWalker } from './value-walker.js';
export type { ValueWalker, ValueWalkerOptions } from './value-walker.js';
export { parseResourceAttributes, resolveServiceInfo } from './service.js';
export type {
  AuditTrailStats,
  CorrelationIdStats,
  HttpStats,
  LogLevelName,
  LogShippingStats,
  LoggerStats,
  TracingStats,
} from './stats-shapes.js';
export type { ElasticsearchShippingOptions, SpoolFullPolicy } from './shipping-shapes.js';
export type { ServiceInfo, ServiceInfoOptions } from './service.js';
