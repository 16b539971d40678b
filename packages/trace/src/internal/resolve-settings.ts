import type { Sampler } from '@opentelemetry/sdk-trace-base';
import { OPERATION_NAMES, type OperationName } from '@jts/core';
import { parseBoolean, parseNumber, resolveOperationsOption, resolveOption } from '@jts/core/internal';
import type { TracingOptions } from '../tracing-options.js';
import { type OtlpEndpoint, resolveEndpoint } from './resolve-endpoint.js';
import { resolveSampler } from './resolve-sampler.js';

/** Every option of initTracing resolved: option > environment variable > default. */
export interface TracingSettings {
  readonly enabled: boolean;
  readonly closeTimeoutMs: number;
  readonly instrumentFetch: boolean;
  readonly flushOnExit: boolean;
  readonly operations: readonly OperationName[] | false;
  /** Where spans go (unused with a custom `exporter`). */
  readonly endpoint: OtlpEndpoint;
  /** Undefined: let the SDK build its sampler from `OTEL_TRACES_SAMPLER`. */
  readonly sampler: Sampler | undefined;
}

const boolean = (
  name: string,
  option: boolean | undefined,
  env: string,
  fallback: boolean,
  environment: NodeJS.ProcessEnv,
) => resolveOption({ name, option, env, parse: parseBoolean, default: fallback, environment });

/**
 * Resolves and checks every option before anything is registered, so a bad one leaves nothing
 * behind (no provider, no subscription, no process listener).
 *
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a bad option given in code
 */
export function resolveSettings(options: TracingOptions, env: NodeJS.ProcessEnv): TracingSettings {
  const disabled = boolean(
    'enabled',
    options.enabled === undefined ? undefined : !options.enabled,
    'OTEL_SDK_DISABLED',
    false,
    env,
  );
  const settings = {
    closeTimeoutMs: resolveOption({
      name: 'closeTimeoutMs',
      option: options.closeTimeoutMs,
      env: 'JTS_TRACE_CLOSE_TIMEOUT_MS',
      parse: parseNumber({ min: 0, integer: true }),
      default: 5000,
      validate: (value) =>
        Number.isSafeInteger(value) && value >= 0 ? undefined : 'must be a non-negative integer (ms)',
      environment: env,
    }),
    instrumentFetch: boolean('instrumentFetch', options.instrumentFetch, 'JTS_TRACE_FETCH', true, env),
    flushOnExit: boolean('flushOnExit', options.flushOnExit, 'JTS_TRACE_FLUSH_ON_EXIT', true, env),
    operations: resolveOperationsOption({
      name: 'operations',
      option: options.operations,
      env: 'JTS_TRACE_OPERATIONS',
      default: OPERATION_NAMES,
      environment: env,
    }),
  };
  const endpoint = resolveEndpoint(options.otlp, options.exporter === undefined && !disabled ? env : {});
  return {
    enabled: !disabled,
    ...settings,
    endpoint,
    sampler: disabled ? undefined : resolveSampler(options.sampling, env),
  };
}
