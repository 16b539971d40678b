import type { RedactionPolicy } from '@jts/core';
import { parseBoolean, parseNumber, resolveOption } from '@jts/core/internal';
import type { Registry } from 'prom-client';

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
  /** Throw `JTS_ERR_INVALID_OBSERVATION` on bad input instead of counting it. Env `JTS_METRICS_STRICT`. Default `NODE_ENV !== 'production'`. */
  readonly strict?: boolean;
  /** Attach trace and span IDs of the sampled active span to histogram and counter samples. Env `JTS_METRICS_EXEMPLARS`. Default true. */
  readonly exemplars?: boolean;
  /** Measure `@jts/core` operations (`order.execution`, `http.server.request`, ...). Env `JTS_METRICS_OPERATIONS`. Default true. */
  readonly subscribeOperations?: boolean;
  /** Register prom-client's default process and Node runtime metrics. Env `JTS_METRICS_DEFAULT_METRICS`. Default true. */
  readonly defaultMetrics?: boolean;
  /** Prefix of the default runtime metric names, e.g. `order_service_`. Env `JTS_METRICS_DEFAULT_PREFIX`. Default none. */
  readonly defaultMetricsPrefix?: string;
  /** Redaction policy applied to label values. Default `@jts/core`'s `defaultRedactionPolicy`. */
  readonly redactionPolicy?: RedactionPolicy;
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
  /** Whether `@jts/core` operations are measured. */
  readonly subscribeOperations: boolean;
  /** Whether prom-client's default runtime metrics are registered. */
  readonly defaultMetrics: boolean;
  /** Prefix of the default runtime metric names ('' for none). */
  readonly defaultMetricsPrefix: string;
}

const positiveInteger = (value: number) => (Number.isInteger(value) && value >= 1 ? undefined : 'must be an integer >= 1');
const isBoolean = (value: boolean) => (typeof value === 'boolean' ? undefined : 'must be a boolean');

/**
 * Applies option > environment variable > default to every setting.
 *
 * @internal
 */
export function resolveMetricsOptions(options: TradingMetricsOptions, environment: NodeJS.ProcessEnv = process.env): ResolvedMetricsOptions {
  const integer = parseNumber({ min: 1, integer: true });
  return {
    maxSeriesPerMetric: resolveOption({ name: 'maxSeriesPerMetric', option: options.maxSeriesPerMetric, env: 'JTS_METRICS_MAX_SERIES', parse: integer, default: DEFAULT_MAX_SERIES_PER_METRIC, validate: positiveInteger, environment }),
    maxLabelValueLength: resolveOption({ name: 'maxLabelValueLength', option: options.maxLabelValueLength, env: 'JTS_METRICS_MAX_LABEL_LENGTH', parse: integer, default: DEFAULT_MAX_LABEL_VALUE_LENGTH, validate: positiveInteger, environment }),
    strict: resolveOption({ name: 'strict', option: options.strict, env: 'JTS_METRICS_STRICT', parse: parseBoolean, default: environment.NODE_ENV !== 'production', validate: isBoolean, environment }),
    exemplars: resolveOption({ name: 'exemplars', option: options.exemplars, env: 'JTS_METRICS_EXEMPLARS', parse: parseBoolean, default: true, validate: isBoolean, environment }),
    subscribeOperations: resolveOption({ name: 'subscribeOperations', option: options.subscribeOperations, env: 'JTS_METRICS_OPERATIONS', parse: parseBoolean, default: true, validate: isBoolean, environment }),
    defaultMetrics: resolveOption({ name: 'defaultMetrics', option: options.defaultMetrics, env: 'JTS_METRICS_DEFAULT_METRICS', parse: parseBoolean, default: true, validate: isBoolean, environment }),
    defaultMetricsPrefix: resolveOption({
      name: 'defaultMetricsPrefix', option: options.defaultMetricsPrefix, env: 'JTS_METRICS_DEFAULT_PREFIX', default: '', environment,
      validate: (value) => (/^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/.test(value) ? undefined : 'must be a valid metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)'),
    }),
  };
}
