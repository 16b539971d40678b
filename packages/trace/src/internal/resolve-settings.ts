import type { Sampler } from '@opentelemetry/sdk-trace-base';
import { parseBoolean, parseNumber, resolveOption } from '@jts/core/internal';
import type { TracingOptions } from '../tracing-options.js';
import { resolveSampler } from './resolve-sampler.js';

/** Every option of initTracing resolved: option > environment variable > default. */
export interface TracingSettings {
  readonly enabled: boolean;
  readonly shutdownTimeoutMillis: number;
  readonly instrumentFetch: boolean;
  readonly flushOnSignal: boolean;
  readonly redaction: boolean;
  /** Undefined: let the SDK build its sampler from `OTEL_TRACES_SAMPLER`. */
  readonly sampler: Sampler | undefined;
}

const boolean = (name: string, option: boolean | undefined, env: string, fallback: boolean, environment: NodeJS.ProcessEnv) =>
  resolveOption({ name, option, env, parse: parseBoolean, default: fallback, environment });

/** @throws JtsError `JTS_ERR_INVALID_OPTION` for a bad option given in code */
export function resolveSettings(options: TracingOptions, env: NodeJS.ProcessEnv): TracingSettings {
  const disabled = boolean('enabled', options.enabled === undefined ? undefined : !options.enabled, 'OTEL_SDK_DISABLED', false, env);
  return {
    enabled: !disabled,
    shutdownTimeoutMillis: resolveOption({
      name: 'shutdownTimeoutMillis',
      option: options.shutdownTimeoutMillis,
      env: 'JTS_TRACE_SHUTDOWN_TIMEOUT_MS',
      parse: parseNumber({ min: 0, integer: true }),
      default: 5000,
      validate: (value) => (Number.isInteger(value) && value >= 0 ? undefined : 'must be a non-negative integer'),
      environment: env,
    }),
    instrumentFetch: boolean('instrumentFetch', options.instrumentFetch, 'JTS_TRACE_FETCH', true, env),
    flushOnSignal: boolean('flushOnSignal', options.flushOnSignal, 'JTS_TRACE_FLUSH_ON_SIGNAL', true, env),
    redaction: boolean('redaction', options.redaction === undefined ? undefined : options.redaction !== false, 'JTS_TRACE_REDACTION', true, env),
    sampler: disabled ? undefined : resolveSampler(options.sampling, env),
  };
}
