import type { Sampler } from '@opentelemetry/sdk-trace-base';
import { resolveOption } from '@jts/core/internal';
import { createOperationSampler } from '../operation-sampler.js';
import {
  DEFAULT_SAMPLING_RULES,
  type SamplingRules,
  parseSamplingRules,
  validateSamplingRules,
} from '../sampling-rules.js';

const isSampler = (value: unknown): value is Sampler =>
  typeof (value as Sampler | undefined)?.shouldSample === 'function';

/**
 * The sampler to configure: the caller's Sampler; else rules (code, then
 * `JTS_TRACE_SAMPLING_RULES`) merged over the defaults; else, when `OTEL_TRACES_SAMPLER` is set,
 * undefined so the SDK builds its own from that variable; else the default rules.
 */
export function resolveSampler(
  option: SamplingRules | Sampler | undefined,
  env: NodeJS.ProcessEnv,
): Sampler | undefined {
  if (isSampler(option)) return option;
  const rules = resolveOption<SamplingRules | undefined>({
    name: 'sampling',
    option: option === undefined ? undefined : validateSamplingRules(option),
    env: 'JTS_TRACE_SAMPLING_RULES',
    parse: parseSamplingRules,
    default: undefined,
    environment: env,
  });
  if (rules === undefined && (env.OTEL_TRACES_SAMPLER ?? '').trim() !== '') return undefined;
  return createOperationSampler({ ...DEFAULT_SAMPLING_RULES, ...rules });
}
