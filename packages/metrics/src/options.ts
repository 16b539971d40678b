import { defaultRedactionPolicy, JtsError, OPERATION_NAMES, type OperationName, type RedactionPolicy } from '@jts/core';
import { parseBoolean, parseNumber, resolveOption } from '@jts/core/internal';
import { Registry } from 'prom-client';
import { parseOperations, validateOperations } from './internal/operations-option.js';

/** Default cap on label sets per metric; beyond it new label sets fold into `__overflow__`. */
export const DEFAULT_MAX_SERIES_PER_METRIC = 2000;
/** Label value of every label of the series that absorbs label sets beyond the cap. */
export const OVERFLOW_LABEL_VALUE = '__overflow__';
/** Default maximum length of a label value (longer values are truncated, or rejected in strict mode). */
export const DEFAULT_MAX_LABEL_VALUE_LENGTH = 128;

/** Options of `createTradingMetrics`. */
export interface TradingMetricsOptions {
  /** prom-client registry to register into. Default: a new `Registry` (never the global one). */
  readonly registry?: Registry;
  /** Label sets per metric before folding into `__overflow__`. Env `JTS_METRICS_MAX_SERIES`. Default 2000. */
  readonly maxSeriesPerMetric?: number;
  /** Longest label value kept. Env `JTS_METRICS_MAX_LABEL_LENGTH`. Default 128. */
  readonly maxLabelValueLength?: number;
  /** Throw `JTS_ERR_INVALID_OBSERVATION` on bad input instead of counting it (for tests and development). Env `JTS_METRICS_STRICT`. Default false. */
  readonly strict?: boolean;
  /** Attach trace and span IDs of the sampled active span to histogram and counter samples. Env `JTS_METRICS_EXEMPLARS`. Default true. */
  readonly exemplars?: boolean;
  /** `@jts/core` operations to measure; `false` for none. Env `JTS_METRICS_OPERATIONS` (comma-separated names, or `false`). Default all six. */
  readonly operations?: readonly OperationName[] | false;
  /** Register prom-client's default process and Node runtime metrics. Env `JTS_METRICS_DEFAULT_METRICS`. Default true. */
  readonly defaultMetrics?: boolean;
  /** Prefix of the default runtime metric names, e.g. `order_service_`. Env `JTS_METRICS_DEFAULT_PREFIX`. Default none. */
  readonly defaultMetricsPrefix?: string;
  /** Redaction policy applied to label values; `false` turns it off. Code only. Default `@jts/core`'s `defaultRedactionPolicy`. */
  readonly redaction?: RedactionPolicy | false;
  /** Environment variables to read instead of `process.env`. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Options after defaults and environment variables are applied. */
export interface ResolvedMetricsOptions {
  /** Label sets per metric before `__overflow__`. */
  readonly maxSeriesPerMetric: number;
  /** Longest label value kept. */
  readonly maxLabelValueLength: number;
  /** Whether bad input throws (`true`) or is counted (`false`). */
  readonly strict: boolean;
  /** Whether exemplars are recorded. */
  readonly exemplars: boolean;
  /** The `@jts/core` operations measured (`false`: none). */
  readonly operations: readonly OperationName[] | false;
  /** Whether prom-client's default runtime metrics are registered. */
  readonly defaultMetrics: boolean;
  /** Prefix of the default runtime metric names ('' for none). */
  readonly defaultMetricsPrefix: string;
  /** The redaction policy applied to label values (`false`: none). */
  readonly redaction: RedactionPolicy | false;
}

/** Options of earlier releases, with what replaced them (rejected with a pointer, never silently ignored). */
const RENAMED: Readonly<Record<string, string>> = { redactionPolicy: 'redaction', subscribeOperations: 'operations' };

const positiveInteger = (value: number) =>
  Number.isInteger(value) && value >= 1 ? undefined : 'must be an integer >= 1';
const isBoolean = (value: boolean) => (typeof value === 'boolean' ? undefined : 'must be a boolean');
const invalid = (message: string) => new JtsError('JTS_ERR_INVALID_OPTION', message);

function checkShape(options: TradingMetricsOptions): void {
  if (options === null || typeof options !== 'object')
    throw invalid('Invalid options: createTradingMetrics takes an options object');
  for (const [old, replacement] of Object.entries(RENAMED)) {
    if (old in options)
      throw invalid(`Invalid option ${old}: renamed to ${replacement} (see the @jts/metrics changelog, "Migration")`);
  }
  const { registry, redaction, env } = options;
  if (
    registry !== undefined &&
    !(registry instanceof Registry) &&
    typeof (registry as { registerMetric?: unknown } | null)?.registerMetric !== 'function'
  ) {
    throw invalid('Invalid option registry: expected a prom-client Registry');
  }
  if (
    redaction !== undefined &&
    redaction !== false &&
    (redaction === null || typeof redaction !== 'object' || !Array.isArray(redaction.patterns))
  ) {
    throw invalid(
      'Invalid option redaction: expected a RedactionPolicy (createRedactionPolicy() of @jts/core) or false',
    );
  }
  if (env !== undefined && (env === null || typeof env !== 'object'))
    throw invalid('Invalid option env: expected an object of environment variables');
}

/**
 * Checks every option and applies option > environment variable > default. Throws before
 * anything is created, so a bad option leaves nothing registered.
 *
 * @internal
 */
export function resolveMetricsOptions(options: TradingMetricsOptions): ResolvedMetricsOptions {
  checkShape(options);
  const environment = options.env ?? process.env;
  const integer = parseNumber({ min: 1, integer: true });
  return {
    maxSeriesPerMetric: resolveOption({
      name: 'maxSeriesPerMetric',
      option: options.maxSeriesPerMetric,
      env: 'JTS_METRICS_MAX_SERIES',
      parse: integer,
      default: DEFAULT_MAX_SERIES_PER_METRIC,
      validate: positiveInteger,
      environment,
    }),
    maxLabelValueLength: resolveOption({
      name: 'maxLabelValueLength',
      option: options.maxLabelValueLength,
      env: 'JTS_METRICS_MAX_LABEL_LENGTH',
      parse: integer,
      default: DEFAULT_MAX_LABEL_VALUE_LENGTH,
      validate: positiveInteger,
      environment,
    }),
    // Off unless asked: a container without NODE_ENV must never throw into an order path.
    strict: resolveOption({
      name: 'strict',
      option: options.strict,
      env: 'JTS_METRICS_STRICT',
      parse: parseBoolean,
      default: false,
      validate: isBoolean,
      environment,
    }),
    exemplars: resolveOption({
      name: 'exemplars',
      option: options.exemplars,
      env: 'JTS_METRICS_EXEMPLARS',
      parse: parseBoolean,
      default: true,
      validate: isBoolean,
      environment,
    }),
    operations: resolveOption<readonly OperationName[] | false>({
      name: 'operations',
      option: options.operations,
      env: 'JTS_METRICS_OPERATIONS',
      parse: parseOperations,
      default: OPERATION_NAMES,
      validate: validateOperations,
      environment,
    }),
    defaultMetrics: resolveOption({
      name: 'defaultMetrics',
      option: options.defaultMetrics,
      env: 'JTS_METRICS_DEFAULT_METRICS',
      parse: parseBoolean,
      default: true,
      validate: isBoolean,
      environment,
    }),
    defaultMetricsPrefix: resolveOption({
      name: 'defaultMetricsPrefix',
      option: options.defaultMetricsPrefix,
      env: 'JTS_METRICS_DEFAULT_PREFIX',
      default: '',
      environment,
      validate: (value) =>
        typeof value === 'string' && /^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/.test(value)
          ? undefined
          : 'must be a valid metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)',
    }),
    redaction: options.redaction ?? defaultRedactionPolicy,
  };
}
