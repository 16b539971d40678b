import { OPERATION_NAMES, type OperationName, type RedactionPolicy, type ServiceInfoOptions } from '@jts/core';
import { parseBoolean, parseEnum, parseNumber, resolveOption } from '@jts/core/internal';
import type { DestinationStream, Level, LevelWithSilent } from 'pino';
import type { ElasticsearchShippingOptions } from './elasticsearch-options.js';
import { DEFAULT_LINE_OPERATIONS } from './internal/operation-lines.js';

/** A place lines are written to, each optionally with its own minimum level. */
export type LogDestination =
  | 'stdout'
  | { readonly file: string; readonly level?: Level }
  | { readonly stream: DestinationStream; readonly level?: Level };

/** Levels of the completion / failure line of an operation run. */
export interface OperationLevels {
  /** A run that succeeded. Default `info`. */
  readonly success?: Level;
  /** A run that threw or whose promise rejected. Default `error`. */
  readonly failure?: Level;
  /** A run that set another outcome through `setOutcome` (`rejected`, ...). Default `warn`. */
  readonly outcome?: Level;
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
  /** Also ship to Elasticsearch (needs the package `@jts/log-elasticsearch`). Env `JTS_ES_*`, `JTS_LOG_SPOOL_*`. Default: off. */
  readonly elasticsearch?: ElasticsearchShippingOptions;
  /** The redaction policy (keys and value patterns) of every line; `false` turns it off. Code only. Default: `defaultRedactionPolicy` of `@jts/core`. */
  readonly redaction?: RedactionPolicy | false;
  /** Exact paths in pino's syntax (`order.notes`, `req.headers["x-key"]`, `items[*].secret`) replaced by the policy's censor. Code only. Default none. */
  readonly redactPaths?: readonly string[];
  /** Longer strings are truncated with a marker. Env `JTS_LOG_MAX_STRING_LENGTH`. Default 16384. */
  readonly maxStringLength?: number;
  /** Deeper objects are replaced by a marker. Env `JTS_LOG_MAX_DEPTH`. Default 10. */
  readonly maxDepth?: number;
  /** Operations whose runs get a completion / failure line; `false` none. Env `JTS_LOG_OPERATIONS` (comma-separated, or `false`). Default: all six (the five trading operations and `http.server.request`, the access line). */
  readonly operations?: readonly OperationName[] | false;
  /** Levels of the operation lines. Code only. Default `{ success: 'info', failure: 'error', outcome: 'warn' }`. */
  readonly operationLevels?: OperationLevels;
  /** pino serializers by key; their output is sanitised like any field. */
  readonly serializers?: Record<string, (value: any) => unknown>;
  /** Flush buffered lines (and ship the last ones) on SIGTERM, SIGINT, a fatal error and exit. Env `JTS_LOG_FLUSH_ON_EXIT`. Default `true`. */
  readonly flushOnExit?: boolean;
  /** Deadline of `flush()`, `close()` and of the flush on exit, in ms. Env `JTS_LOG_CLOSE_TIMEOUT_MS`. Default 5000. */
  readonly closeTimeoutMs?: number;
  /** Environment variables to read instead of `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
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
  readonly closeTimeoutMs: number;
  readonly file: string | undefined;
}

const levelCheck = (value: string) =>
  LEVELS.includes(value as never) ? undefined : `must be one of ${LEVELS.join(', ')}`;
const lineLevelCheck = (value: string) =>
  value === 'silent' ? 'must be a level other than silent' : levelCheck(value);
const booleanCheck = (value: boolean) => (typeof value === 'boolean' ? undefined : 'must be true or false');
const integerCheck = (min: number) => (value: number) =>
  Number.isInteger(value) && value >= min ? undefined : `must be an integer >= ${min}`;

const parseOperations = (raw: string): readonly OperationName[] | false | undefined => {
  if (parseBoolean(raw) === false || raw.toLowerCase() === 'none') return false;
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.length > 0 && names.every((name) => OPERATION_NAMES.includes(name as OperationName))
    ? (names as OperationName[])
    : undefined;
};
const operationsCheck = (value: readonly OperationName[] | false) => {
  if (value === false) return undefined;
  if (!Array.isArray(value)) return 'must be an array of operation names or false';
  const unknown = value.find((name) => !OPERATION_NAMES.includes(name));
  return unknown === undefined
    ? undefined
    : `unknown operation ${JSON.stringify(unknown)}; use ${OPERATION_NAMES.join(', ')} or false`;
};

/**
 * Resolves every setting once, at `createLogger`: option > `JTS_LOG_*` > default.
 *
 * @param options - what the caller gave
 * @param environment - the service environment (`development` enables pretty output on a TTY)
 * @returns the settings
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for an unusable option given in code
 */
export function resolveLoggerSettings(options: LoggerOptions, environment: string): LoggerSettings {
  const env = options.env ?? process.env;
  const level = resolveOption<LevelWithSilent>({
    name: 'level',
    option: options.level,
    env: 'JTS_LOG_LEVEL',
    parse: parseEnum([...LEVELS]),
    default: 'info',
    validate: levelCheck,
    environment: env,
  });
  const pretty = resolveOption({
    name: 'pretty',
    option: options.pretty,
    env: 'JTS_LOG_PRETTY',
    parse: parseBoolean,
    default: process.stdout.isTTY === true && environment === 'development',
    validate: booleanCheck,
    environment: env,
  });
  const sync = resolveOption({
    name: 'sync',
    option: options.sync,
    env: 'JTS_LOG_SYNC',
    parse: parseBoolean,
    default: false,
    validate: booleanCheck,
    environment: env,
  });
  const maxStringLength = resolveOption({
    name: 'maxStringLength',
    option: options.maxStringLength,
    env: 'JTS_LOG_MAX_STRING_LENGTH',
    parse: parseNumber({ min: 64, integer: true }),
    default: 16384,
    validate: integerCheck(64),
    environment: env,
  });
  const maxDepth = resolveOption({
    name: 'maxDepth',
    option: options.maxDepth,
    env: 'JTS_LOG_MAX_DEPTH',
    parse: parseNumber({ min: 1, max: 100, integer: true }),
    default: 10,
    validate: integerCheck(1),
    environment: env,
  });
  const flushOnExit = resolveOption({
    name: 'flushOnExit',
    option: options.flushOnExit,
    env: 'JTS_LOG_FLUSH_ON_EXIT',
    parse: parseBoolean,
    default: true,
    validate: booleanCheck,
    environment: env,
  });
  const closeTimeoutMs = resolveOption({
    name: 'closeTimeoutMs',
    option: options.closeTimeoutMs,
    env: 'JTS_LOG_CLOSE_TIMEOUT_MS',
    parse: parseNumber({ min: 0, integer: true }),
    default: 5000,
    validate: integerCheck(0),
    environment: env,
  });
  const operations = resolveOption<readonly OperationName[] | false>({
    name: 'operations',
    option: options.operations,
    env: 'JTS_LOG_OPERATIONS',
    parse: parseOperations,
    default: DEFAULT_LINE_OPERATIONS,
    validate: operationsCheck,
    environment: env,
  });
  const levels = options.operationLevels ?? {};
  const lineLevel = (key: keyof OperationLevels, fallback: Level) =>
    resolveOption<Level>({
      name: `operationLevels.${key}`,
      option: levels[key],
      default: fallback,
      validate: lineLevelCheck,
    });
  return {
    level,
    pretty,
    sync,
    maxStringLength,
    maxDepth,
    operations: operations === false ? [] : operations,
    operationLevels: {
      success: lineLevel('success', 'info'),
      failure: lineLevel('failure', 'error'),
      outcome: lineLevel('outcome', 'warn'),
    },
    flushOnExit,
    closeTimeoutMs,
    file: env.JTS_LOG_FILE?.trim() || undefined,
  };
}
