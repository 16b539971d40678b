import { type Context, type Span, type SpanKind, type SpanOptions, type TextMapGetter, type Tracer, context, propagation } from '@opentelemetry/api';
import type { AsyncLocalStorage } from 'node:async_hooks';
import { type JtsContext, type OperationMessage, type OperationName, contextStorage, operations, reportDiagnostic } from '@jts/core';
import { OTEL_CONTEXT_SLOT, withOtelContext } from './context-manager.js';
import { lazySpanContext } from './internal/lazy-span-context.js';
import { addContextAttributes, operationSpanStart, recordOutcome } from './operation-span-shape.js';

const SPAN = Symbol('jts.trace.span');
const SPAN_OPTIONS = new Map<SpanKind, SpanOptions>();
const optionsFor = (kind: SpanKind): SpanOptions => {
  let options = SPAN_OPTIONS.get(kind);
  if (options === undefined) SPAN_OPTIONS.set(kind, (options = Object.freeze({ kind })));
  return options;
};

/** The start channel typed for a store of JTS contexts (Node types it with the message type). */
interface StartChannel {
  bindStore(store: AsyncLocalStorage<JtsContext>, transform: (message: OperationMessage) => JtsContext): void;
  unbindStore(store: AsyncLocalStorage<JtsContext>): boolean;
}

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
  const headers = message.attributes.headers;
  if (headers === null || typeof headers !== 'object') return inherited;
  return propagation.extract(inherited, headers as Record<string, unknown>, headerGetter);
}

/**
 * Starts a span for every run of the `@jts/core` operations and makes it the active
 * OpenTelemetry context while the wrapped function runs (`start.bindStore` on core's one
 * AsyncLocalStorage), so nested operations, outgoing calls and log lines see it. Ends it with
 * the run's status, error type and exception. Never throws into the wrapped function.
 *
 * @param options - tracer and operations
 * @returns a function that unsubscribes
 * @example
 * const stop = subscribeOperationSpans({ tracer: trace.getTracer('svc') });
 */
export function subscribeOperationSpans(options: OperationSpansOptions): () => void {
  const { tracer, onSpanStart, onSpanEnd } = options;
  const storage = contextStorage();
  const names = options.operations ?? (Object.keys(operations) as OperationName[]);

  const transform = (message: OperationMessage) => {
    try {
      const parent = parentOf(message);
      const start = operationSpanStart(message);
      const span = tracer.startSpan(start.name, start.attributes === undefined ? optionsFor(start.kind) : { kind: start.kind, attributes: start.attributes }, parent);
      if (span.isRecording()) addContextAttributes(span, message);
      message[SPAN] = span;
      onSpanStart?.(span);
      return withOtelContext(message.context, lazySpanContext(parent, span));
    } catch (error) {
      reportDiagnostic({ source: '@jts/trace', event: 'span_start_failed', error });
      return message.context;
    }
  };

  const finish = (message: OperationMessage) => {
    const span = message[SPAN] as Span | undefined;
    if (span === undefined) return;
    // Overwrite rather than add a second symbol: the message keeps one hidden-class transition.
    message[SPAN] = undefined;
    try {
      if (span.isRecording()) recordOutcome(span, message);
      span.end();
      onSpanEnd?.(span);
    } catch (error) {
      reportDiagnostic({ source: '@jts/trace', event: 'span_end_failed', error });
    }
  };

  // Only the events that end a span: each subscribed event costs a publish on every run.
  const handlers = {
    // Core sets `async` before `end`: a synchronous run ends its span here, a promise's at asyncEnd.
    end: (message: OperationMessage) => {
      if (message.async === false) finish(message);
    },
    asyncEnd: finish,
  } as unknown as Parameters<(typeof operations)['order.execution']['channel']['subscribe']>[0];

  const channels = names.map((name) => operations[name].channel);
  for (const channel of channels) {
    (channel.start as unknown as StartChannel).bindStore(storage, transform);
    channel.subscribe(handlers);
  }
  return () => {
    for (const channel of channels) {
      (channel.start as unknown as StartChannel).unbindStore(storage);
      channel.unsubscribe(handlers);
    }
  };
}
