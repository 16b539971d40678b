export { JtsModule } from './jts-module.js';
export type {
  JtsModuleAsyncOptions,
  JtsModuleOptions,
  MessageContextOptions,
  SignalSource,
  StructuredLogger,
} from './module-options.js';
export { JTS_LOGGER, JTS_METRICS, JTS_TRACING } from './tokens.js';
export { JtsLoggerService } from './jts-logger-service.js';
export { JtsExceptionFilter } from './jts-exception-filter.js';
export type { TransportFallback } from './jts-exception-filter.js';
export { recordRequestError, requestRunFrom } from './request-error.js';
export { messageContextHook, messageHeaders } from './message-context.js';
export { TraceOrder, TraceStrategy, Traced } from './trading-decorators.js';
export type { RunAttributes, TracedOperation } from './trading-decorators.js';
export { JobContext } from './job-context.js';
export type { JobContextOptions } from './job-context.js';
