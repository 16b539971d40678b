import {
  type Attributes,
  type Context,
  type HrTime,
  type Span,
  SpanKind,
  type SpanOptions,
  type TextMapGetter,
  type Tracer,
  context,
  propagation,
} from '@opentelemetry/api';
import { OPERATION_NAMES, type OperationMessage, type OperationName, subscribeRuns } from '@jts/core';
import { correlationIdGeneratedHere } from '@jts/core/internal';
import { OTEL_CONTEXT_SLOT, withOtelContext } from './context-manager.js';
import { endingSpan } from './internal/ending-span.js';
import { ownPropagatorRegistered } from './internal/global-registration.js';
import { lazySpanContext } from './internal/lazy-span-context.js';
import { addContextAttributes, operationSpanStart, recordOutcome } from './operation-span-shape.js';
import type { SamplerReads } from './operation-sampler.js';

const SPAN = Symbol('jts.trace.span');
const SPAN_OPTIONS = new Map<SpanKind, SpanOptions>();
const optionsFor = (kind: SpanKind): SpanOptions => {
  let options = SPAN_OPTIONS.get(kind);
  if (options === undefined) SPAN_OPTIONS.set(kind, (options = Object.freeze({ kind })));
  return options;
};

// For a sampler that reads only the method (the operation sampler with a rule for
// `http.server.request`): the options a SERVER span starts with, by method. The methods are
// OpenTelemetry's known ones or `_OTHER` (see operation-span-shape).
const METHOD_OPTIONS = new Map<string, SpanOptions>();
const METHOD_OPTIONS_LIMIT = 16;
const samplerOptionsFor = (kind: SpanKind, attributes: Attributes): SpanOptions => {
  const method = attributes['http.request.method'];
  if (kind !== SpanKind.SERVER || typeof method !== 'string') return optionsFor(kind);
  let options = METHOD_OPTIONS.get(method);
  if (options === undefined) {
    options = Object.freeze({ kind, attributes: Object.freeze({ 'http.request.method': method }) });
    if (METHOD_OPTIONS.size < METHOD_OPTIONS_LIMIT) METHOD_OPTIONS.set(method, options);
  }
  return options;
};

/** Reads Node `IncomingHttpHeaders` (lower-case keys; values strings or arrays). */
const headerGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key] as string | string[] | undefined,
};

/** Options of {@link subscribeOperationSpans}. */
export interface OperationSpansOptions {
  /** Tracer the spans come from. */
  readonly tracer: Tracer;
  /** Operations to trace. Default: all six. */
  readonly operations?: readonly OperationName[];
  /** Called for every span started (for stats when the provider is not ours). */
  readonly onSpanStart?: (span: Span) => void;
  /** Called for every span ended. */
  readonly onSpanEnd?: (span: Span) => void;
}

function parentOf(message: OperationMessage): Context {
  const inherited = (message.context.slot(OTEL_CONTEXT_SLOT) as Context | undefined) ?? context.active();
  if (message.operation !== 'http.server.request') return inherited;
  const headers = message.attributes.headers as Record<string, unknown> | null | undefined;
  if (headers === null || typeof headers !== 'object') return inherited;
  // A request from a caller that traces nothing: our propagators would find nothing to extract.
  if (headers.traceparent === undefined && headers.baggage === undefined && ownPropagatorRegistered()) return inherited;
  return propagation.extract(inherited, headers, headerGetter);
}

/**
 * The end time that gives the span the duration core measured, so the span, the log line, the
 * histogram and the audit record report one duration. Spans of another SDK keep their own clock.
 */
function endTimeOf(span: Span, durationMs: number): HrTime | undefined {
  const start = (span as { startTime?: unknown }).startTime;
  if (!Array.isArray(start) || typeof start[0] !== 'number' || typeof start[1] !== 'number') return undefined;
  const nanos = start[1] + Math.round(durationMs * 1e6);
  return [start[0] + Math.floor(nanos / 1e9), nanos % 1e9];
}

/**
 * Starts a span for every run of the `@jts/core` operations and makes it the active
 * OpenTelemetry context while the wrapped function runs (core's `subscribeRuns` binds it on the
 * one AsyncLocalStorage), so nested operations, outgoing calls and log lines see it. Ends it with
 * the verdict core computed (status, `error.type`, exception). Never throws into the wrapped function.
 *
 * @param options - tracer and operations
 * @returns a function that unsubscribes
 * @example
 * const stop = subscribeOperationSpans({ tracer: trace.getTracer('svc') });
 */
export function subscribeOperationSpans(options: OperationSpansOptions): () => void {
  return subscribeSpans(options, 'all');
}

/**
 * {@link subscribeOperationSpans}, for a tracer whose sampler is known to read `reads` of a span's
 * start attributes, and none of whose span processors reads a span as it starts (`initTracing`'s
 * own pipeline). Unless `reads` is `all`, a span starts with what its sampler reads (the method,
 * or nothing) and its other start attributes are set right after: the SDK copies the attributes
 * given to `startSpan` twice before it sets them, about 4,000 instructions per HTTP server span
 * on Node 20. Any other sampler gets every start attribute, as OpenTelemetry's conventions ask.
 *
 * @internal
 */
export function subscribeSpans(options: OperationSpansOptions, reads: SamplerReads): () => void {
  const { tracer, onSpanStart, onSpanEnd } = options;
  const after = reads !== 'all';
  return subscribeRuns({
    source: 'trace',
    operations: options.operations ?? OPERATION_NAMES,
    bindContext: (message) => {
      const parent = parentOf(message);
      const start = operationSpanStart(message);
      const attributes = start.attributes;
      const span = tracer.startSpan(
        start.name,
        attributes === undefined || reads === 'nothing'
          ? optionsFor(start.kind)
          : reads === 'method'
            ? samplerOptionsFor(start.kind, attributes)
            : { kind: start.kind, attributes },
        parent,
      );
      if (span.isRecording()) {
        if (after && attributes !== undefined) span.setAttributes(attributes);
        addContextAttributes(span, message);
      }
      message[SPAN] = span;
      onSpanStart?.(span);
      return withOtelContext(message.context, lazySpanContext(parent, span));
    },
    finish: (run) => {
      const span = run[SPAN] as Span | undefined;
      if (span === undefined) return;
      // Overwrite rather than add a second symbol: the message keeps one hidden-class transition.
      run[SPAN] = undefined;
      if (span.isRecording()) recordOutcome(span, run);
      const runContext = run.context;
      endingSpan.generatedCorrelationId = correlationIdGeneratedHere(runContext) ? runContext.correlationId : undefined;
      try {
        span.end(endTimeOf(span, run.verdict.durationMs));
      } finally {
        endingSpan.generatedCorrelationId = undefined;
      }
      onSpanEnd?.(span);
    },
  });
}
