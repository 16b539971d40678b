export { initTracing } from './init-tracing.js';
export type { Tracing } from './init-tracing.js';
export type { BatchOptions, TracingOptions } from './tracing-options.js';
export type { TracingStats } from './tracing-stats.js';
export type { OtlpExporterOptions } from './otlp-exporter.js';
export { OTEL_CONTEXT_SLOT, createJtsContextManager } from './context-manager.js';
export { subscribeOperationSpans } from './operation-spans.js';
export type { OperationSpansOptions } from './operation-spans.js';
export { traceBrokerApiCall } from './trace-operations.js';
export { createOperationSampler } from './operation-sampler.js';
export { DEFAULT_SAMPLING_RULES, parseSamplingRules, validateSamplingRules } from './sampling-rules.js';
export type { SamplingRule, SamplingRules } from './sampling-rules.js';
export { createRedactingSpanProcessor } from './redacting-span-processor.js';
export { formatTraceparent, parseTraceContext, parseTraceparent } from './trace-context.js';
export type { ParsedTraceparent } from './trace-context.js';
export {
  TRACESTATE_MAX_MEMBERS,
  createTraceState,
  isValidTraceStateKey,
  isValidTraceStateValue,
} from './trace-state.js';
export { createW3CTraceContextPropagator } from './w3c-propagator.js';
export { injectTraceHeaders } from './inject-trace-headers.js';
export { extractKafkaContext, injectKafkaHeaders } from './kafka-headers.js';
export type { KafkaHeaders } from './kafka-headers.js';
export { instrumentFetch } from './fetch-propagation.js';
