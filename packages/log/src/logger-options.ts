import { type RedactionPattern, type RedactionPolicy, type ServiceInfoOptions, type OperationName, OPERATION_NAMES } from '@jts/core';
import { parseBoolean, parseEnum, parseNumber, resolveOption } from '@jts/core/internal';
import type { DestinationStream, Level, LevelWithSilent } from 'pino';
import type { ElasticsearchShippingOptions } from './elasticsearch/index.js';

/** A place lines are written to, each optionally with its own minimum level. */
export type LogDestination =
  | 'stdout'
  | { readonly file: string; readonly level?: Level }
  | { readonly stream: DestinationStream; readonly level?: Level };

/** Redaction on top of the shared `@jts/core` policy. */
export interface LogRedactionOptions {
  /** More keys to replace by the censor text anywhere in a line (matched like core's keys). */
  readonly keys?: readonly string[];
  /** More keys whose values keep only their last 4 characters. */
  readonly maskKeys?: readonly string[];
  /** More value patterns replaced inside every string. */
  readonly patterns?: readonly RedactionPattern[];
  /** Exact paths in pino's syntax (`order.notes`, `req.headers["x-key"]`, `items[*].secret`). */
  readonly paths?: readonly string[];
  /** Replacement text. Default `[REDACTED]`. */
  readonly censor?: string;
  /** A whole policy built with `createRedactionPolicy`, instead of the defaults plus the above. */
  readonly policy?: RedactionPolicy;
}

/** Which operations get a completion / failure line, and at which levels. */
export interface OperationLinesOptions {
  /** Operations to follow. Default: order.execution, strategy.execution, market_data.processing, broker.api_call, risk.check. */
  readonly operations?: readonly OperationName[];
  /** Level of a successful run's line. Default `info`. */
  readonly successLevel?: Level;
  /** Level when the run threw or rejected. Default `error`. */
  readonly failureLevel?: Level;
  /** Level when the run set another outcome (`rejected`, ...). Default `warn`. */
  readonly outcomeLevel?: Level;
}

/** Options of {@link createLogger}; every field is optional. */
export interface LoggerOptions extends ServiceInfoOptions {
  /** Minimum level. Env `JTS_LOG_LEVEL`. Default `info`. */
  readonly level?: LevelWithSilent;
  /** Where lines go. Env `JTS_LOG_FILE` (a file instead of stdout). Default `stdout`. */
  readonly destination?: LogDestination | readonly LogDestination[];
  /** Human-readable stdout through pino-pretty. Env `JTS_LOG_PRETTY`. Default: stdout is a TTY and the environment is `development`. */
  readonly pretty?: boolean;
  /** Write stdout and files synchronously. Env `JTS_LOG_SYNC`. Default `false` (buffered, flushed on exit). */
  readonly sync?: boolean;
  /** Also ship to Elasticsearch (data streams, disk spool). Default: off. */
  readonly elasticsearch?: ElasticsearchShippingOptions;
  /** Extra redaction keys, patterns and paths. Default: the core policy. */
  readonly redaction?: LogRedactionOptions;
  /** Longer strings are truncated with a marker. Env `JTS_LOG_MAX_STRING_LENGTH`. Default 16384. */
  readonly maxStringLength?: number;
  /** Deeper objects are replaced by a marker. Env `JTS_LOG_MAX_DEPTH`. Default 10. */
  readonly maxDepth?: number;
  /** Completion / failure line per operation run. Env `JTS_LOG_OPERATION_LINES`. Default `true`. */
  readonly operationLines?: boolean | OperationLinesOptions;
  /** pino serializers by key; their output is sanitised like any field. */
  readonly serializers?: Record<string, (value: any) => unknown>;
  /** Flush buffered lines on SIGTERM, SIGINT and exit. Env `JTS_LOG_FLUSH_ON_EXIT`. Default `true`. */
  readonly flushOnExit?: boolean;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Settings after option > environment > default resolution. */
export interface LoggerSettings {
  readonly level: LevelWithSilent;
  readonly pretty: boolean;
  readonly sync: boolean;
  readonly maxStringLength: number;
  readonly maxDepth: number;
  readonly operations: readonly OperationName[];
  readonly operationLevels: { readonly success: Level; readonly failure: Level; readonly outcome: Level };
  readonly flushOnExit: boolean;
  readonly file: string | undefined;
}

const levelCheck = (value: string) => (LEVELS.includes(value as never) ? undefined : `must be one of ${LEVELS.join(', ')}`);
const positiveInteger = (min: number) => (value: number) =>
  Number.isInteger(value) && value >= min ? undefined : `must be an integer >= ${min}`;

/**
 * Resolves every setting once, at `createLogger`: option > `JTS_LOG_*` > default.
 *
 * @param options - what the caller gave
 * @param environment - the service environment (`development` enables pretty output on a TTY)
 * @returns the settings
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for an unusable option given in code
 */
export function resolveLoggerSettings(options: LoggerOptions, environment: string): LoggerSettings {
  const level = resolveOption<LevelWithSilent>({ name: 'level', option: options.level, env: 'JTS_LOG_LEVEL', parse: parseEnum([...LEVELS]), default: 'info', validate: levelCheck });
  const pretty = resolveOption({ name: 'pretty', option: options.pretty, env: 'JTS_LOG_PRETTY', parse: parseBoolean, default: process.stdout.isTTY === true && environment === 'development' });
  const sync = resolveOption({ name: 'sync', option: options.sync, env: 'JTS_LOG_SYNC', parse: parseBoolean, default: false });
  const maxStringLength = resolveOption({ name: 'maxStringLength', option: options.maxStringLength, env: 'JTS_LOG_MAX_STRING_LENGTH', parse: parseNumber({ min: 64, integer: true }), default: 16384, validate: positiveInteger(64) });
  const maxDepth = resolveOption({ name: 'maxDepth', option: options.maxDepth, env: 'JTS_LOG_MAX_DEPTH', parse: parseNumber({ min: 1, max: 100, integer: true }), default: 10, validate: positiveInteger(1) });
  const flushOnExit = resolveOption({ name: 'flushOnExit', option: options.flushOnExit, env: 'JTS_LOG_FLUSH_ON_EXIT', parse: parseBoolean, default: true });
  const lines = options.operationLines;
  const enabled = resolveOption({ name: 'operationLines', option: typeof lines === 'object' ? true : lines, env: 'JTS_LOG_OPERATION_LINES', parse: parseBoolean, default: true });
  const detail: OperationLinesOptions = typeof lines === 'object' ? lines : {};
  for (const name of detail.operations ?? []) {
    if (!OPERATION_NAMES.includes(name)) resolveOption({ name: 'operationLines.operations', option: name, default: name, validate: () => `unknown operation ${JSON.stringify(name)}; use one of ${OPERATION_NAMES.join(', ')}` });
  }
  for (const [key, value] of Object.entries({ successLevel: detail.successLevel, failureLevel: detail.failureLevel, outcomeLevel: detail.outcomeLevel })) {
    if (value !== undefined) resolveOption({ name: `operationLines.${key}`, option: value, default: value, validate: (candidate: string) => (candidate === 'silent' ? 'must be a level other than silent' : levelCheck(candidate)) });
  }
  const file = process.env.JTS_LOG_FILE?.trim() || undefined;
  return {
    level,
    pretty,
    sync,
    maxStringLength,
    maxDepth,
    operations: enabled ? (detail.operations ?? ['order.execution', 'strategy.execution', 'market_data.processing', 'broker.api_call', 'risk.check']) : [],
    operationLevels: { success: detail.successLevel ?? 'info', failure: detail.failureLevel ?? 'error', outcome: detail.outcomeLevel ?? 'warn' },
    flushOnExit,
    file,
  };
}
