import {
  type Attributes,
  type Context,
  type Link,
  SpanKind,
  TraceFlags,
  isSpanContextValid,
  trace,
} from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace-base';
import { sdkModules } from './internal/sdk-modules.js';
import { DEFAULT_SAMPLING_RULES, type SamplingRule, type SamplingRules } from './sampling-rules.js';

const ALWAYS = -1;

// Same decision as OpenTelemetry's TraceIdRatioBasedSampler, so every service agrees on a trace.
function upperBound(rule: SamplingRule): number {
  return rule === 'always' ? ALWAYS : Math.floor(rule * 0xffffffff);
}

function accumulate(traceId: string): number {
  let accumulation = 0;
  for (let index = 0; index < traceId.length / 8; index++) {
    const position = index * 8;
    accumulation = (accumulation ^ Number.parseInt(traceId.slice(position, position + 8), 16)) >>> 0;
  }
  return accumulation;
}

/** What a sampler reads of a span's start attributes (see `subscribeSpans`). @internal */
export type SamplerReads = 'all' | 'method' | 'nothing';

// Samplers made here, and what they read: `http.request.method` when a rule for
// `http.server.request` is set (to tell HTTP server spans apart), nothing otherwise.
const OPERATION_SAMPLERS = new WeakMap<Sampler, SamplerReads>();

/**
 * What `sampler` reads of a span's start attributes: for one made by
 * {@link createOperationSampler}, `method` or `nothing`; `all` for any other (or none: the SDK's).
 *
 * @internal
 */
export function samplerReads(sampler: Sampler | undefined): SamplerReads {
  return (sampler !== undefined && OPERATION_SAMPLERS.get(sampler)) || 'all';
}

/**
 * A parent-based sampler with a rule per operation (span name; `http.server.request` for SERVER
 * spans with an HTTP method). A child follows its parent's decision, except that an `always`
 * rule samples even under an unsampled parent; a new trace is sampled with the rule's ratio.
 *
 * @param rules - rules by operation; `*` for the rest (default {@link DEFAULT_SAMPLING_RULES})
 * @returns an OpenTelemetry sampler
 * @example
 * createOperationSampler({ 'market_data.processing': 0.01, '*': 1 });
 */
export function createOperationSampler(rules: SamplingRules = DEFAULT_SAMPLING_RULES): Sampler {
  const { SamplingDecision } = sdkModules().traceBase;
  const SAMPLED: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });
  const DROPPED: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });
  const bounds = new Map<string, number>();
  for (const [name, rule] of Object.entries(rules)) bounds.set(name, upperBound(rule));
  const fallback = bounds.get('*') ?? upperBound(1);
  const serverBound = bounds.get('http.server.request');

  const sampler: Sampler = {
    shouldSample(
      context: Context,
      traceId: string,
      spanName: string,
      spanKind: SpanKind,
      attributes: Attributes,
      _links: Link[],
    ): SamplingResult {
      let bound = bounds.get(spanName);
      if (bound === undefined) {
        bound =
          spanKind === SpanKind.SERVER && serverBound !== undefined && attributes['http.request.method'] !== undefined
            ? serverBound
            : fallback;
      }
      const parent = trace.getSpanContext(context);
      if (parent !== undefined && isSpanContextValid(parent)) {
        if ((parent.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED || bound === ALWAYS) return SAMPLED;
        return DROPPED;
      }
      if (bound === ALWAYS) return SAMPLED;
      if (bound >= 0xffffffff) return SAMPLED;
      if (bound <= 0) return DROPPED;
      return accumulate(traceId) <= bound ? SAMPLED : DROPPED;
    },
    toString(): string {
      return `JtsOperationSampler{${Object.entries(rules)
        .map(([name, rule]) => `${name}=${rule}`)
        .join(',')}}`;
    },
  };
  OPERATION_SAMPLERS.set(sampler, serverBound === undefined ? 'nothing' : 'method');
  return sampler;
}
