/**
 * `@jts/core/internal`: the process utilities the JTS packages share (exit registry, one-writer
 * lock file, option and environment parsing, deadlines). Not part of the stable API: these may
 * change in any release without a major version. Applications use `@jts/core`.
 *
 * @packageDocumentation
 */
export { contextMemo, correlationIdGeneratedHere, createTrustedContext } from './context.js';
export { isGeneratedCorrelationId } from './correlation-id.js';
export { correlationIdOfRequest } from './propagation.js';
export { withDeadline } from './deadline.js';
export { parseBoolean, parseEnum, parseNumber, resolveOption } from './env.js';
export type { EnvParser, ResolveOptionInput } from './env.js';
export { isExiting, onExiting, registerExitFlush } from './exit-flush.js';
export type { ExitFlusher, ExitReason } from './exit-flush.js';
export { resolveOperationsOption } from './operations-option.js';
export type { OperationsOptionInput } from './operations-option.js';
export { acquireLockFile } from './lock-file.js';
export type { LockFile, LockFileOptions, LockHolder, LockTakeover } from './lock-file.js';
export { describeThrown, readProperty, setField } from './error-fields.js';
export { endWithTurn, publishEndedRuns } from './operations.js';
export { redactionWork } from './redaction-work.js';
export type { RedactionWork } from './redaction-work.js';
