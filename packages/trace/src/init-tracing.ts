import { type Tracer, trace } from '@opentelemetry/api';
import { JtsError } from '@jts/core';
import { publishEndedRuns, registerExitFlush, withDeadline } from '@jts/core/internal';
import { instrumentFetch } from './fetch-propagation.js';
import { registerContextAndPropagation, registeredTracerProvider } from './internal/global-registration.js';
import { createOwnPipeline } from './internal/own-pipeline.js';
import { resolveSettings } from './internal/resolve-settings.js';
import { samplerReads } from './operation-sampler.js';
import { subscribeOperationSpans, subscribeSpans } from './operation-spans.js';
import type { TracingOptions } from './tracing-options.js';
import { type TracingStats, createStatsCounters, snapshotStats } from './tracing-stats.js';

/** What {@link initTracing} returns. */
export interface Tracing {
  /** Tracer for spans of your own (`@jts/trace`). */
  readonly tracer: Tracer;
  /**
   * Exports what has ended, stops tracing and unregisters what initTracing registered. Idempotent;
   * resolves within `closeTimeoutMs` (at once when no collector listens); what is unexported by
   * then is counted as dropped. Never rejects.
   */
  close(): Promise<void>;
  /** Alias of {@link Tracing.close} (OpenTelemetry's word). */
  shutdown(): Promise<void>;
  /** Exports every span that has ended so far, within `closeTimeoutMs`. Never rejects. */
  flush(): Promise<void>;
  /** Alias of {@link Tracing.flush} (OpenTelemetry's word). */
  forceFlush(): Promise<void>;
  /** Span counts: `spans.{started, ended, exported, dropped, rejected}` and `exports.failed`. */
  stats(): TracingStats;
  /** `own` when initTracing registered its provider, `existing` when it used the application's, `disabled` when off. */
  readonly mode: 'own' | 'existing' | 'disabled';
}

const ACTIVE = Symbol.for('jts.trace.active.v1');
type GlobalWithActive = typeof globalThis & { [ACTIVE]?: boolean };
const TRACER_NAME = '@jts/trace';

function tracingOf(
  tracer: Tracer,
  close: () => Promise<void>,
  flush: () => Promise<void>,
  stats: () => TracingStats,
  mode: Tracing['mode'],
): Tracing {
  return { tracer, close, shutdown: close, flush, forceFlush: flush, stats, mode };
}

/**
 * Starts tracing: a NodeTracerProvider exporting over OTLP/HTTP (protobuf or JSON) through a
 * BatchSpanProcessor, W3C Trace Context and Baggage propagation, per-operation sampling,
 * attribute redaction, and a span for every `@jts/core` operation. When the application already
 * registered a tracer provider, that provider is used and nothing global is replaced.
 *
 * @param options - see {@link TracingOptions}; each has an environment variable
 * @returns the tracer, `close` / `shutdown`, `flush` / `forceFlush` and `stats`
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a bad option (nothing is registered then),
 *   `JTS_ERR_TRACING_ACTIVE` when tracing is already initialised
 * @example
 * const tracing = initTracing({ serviceName: 'order-service' });
 * await orderExecution.run({ orderId, symbol: 'AAPL' }, () => broker.submit(order));
 * await tracing.close();
 */
export function initTracing(options: TracingOptions = {}): Tracing {
  const env = options.env ?? process.env;
  const settings = resolveSettings(options, env);
  const counters = createStatsCounters();
  const stats = () => snapshotStats(counters);
  if (!settings.enabled) {
    const nothing = async () => {};
    return tracingOf(trace.getTracer(TRACER_NAME), nothing, nothing, stats, 'disabled');
  }
  const globalState = globalThis as GlobalWithActive;
  if (globalState[ACTIVE]) {
    throw new JtsError(
      'JTS_ERR_TRACING_ACTIVE',
      'initTracing was already called; call close() on the first instance before starting another',
    );
  }
  const { closeTimeoutMs, operations } = settings;
  const existing = registeredTracerProvider();
  let tracer: Tracer;
  let flushWithin: (timeoutMs: number) => Promise<void>;
  let finish: () => Promise<void>;
  let unregister = () => {};
  let unsubscribe = () => {};

  if (existing === undefined) {
    const pipeline = createOwnPipeline(options, settings, env, counters, TRACER_NAME);
    tracer = pipeline.tracer;
    flushWithin = (timeoutMs) => pipeline.flush(timeoutMs);
    finish = () => pipeline.close(closeTimeoutMs);
    unregister = () => pipeline.unregister();
    // Our pipeline has no processor of the application's; with the operation sampler, the start
    // attributes it does not read are set after the span starts (see subscribeSpans).
    if (operations !== false) unsubscribe = subscribeSpans({ tracer, operations }, samplerReads(settings.sampler));
  } else {
    // The application's provider: its processors count nothing for us, so count our spans here.
    tracer = existing.getTracer(TRACER_NAME);
    const flushable = existing as { forceFlush?: () => Promise<unknown> };
    flushWithin = (timeoutMs) =>
      withDeadline(Promise.resolve(flushable.forceFlush?.()), timeoutMs).then(() => undefined);
    finish = () => flushWithin(closeTimeoutMs);
    // Our context manager and propagators only where the application registered none.
    unregister = registerContextAndPropagation();
    if (operations !== false) {
      unsubscribe = subscribeOperationSpans({
        tracer,
        operations,
        onSpanStart: (span) => void (span.isRecording() && counters.started++),
        onSpanEnd: () => void counters.ended++,
      });
    }
  }
  const stopFetch = settings.instrumentFetch ? instrumentFetch() : () => {};
  globalState[ACTIVE] = true;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      unregisterExit();
      // End the spans of runs ended in this turn (core's endWithTurn), stop starting spans, then
      // export what has ended, then unregister.
      publishEndedRuns();
      unsubscribe();
      await finish();
      stopFetch();
      unregister();
      globalState[ACTIVE] = false;
    })();
    return closing;
  };
  // One shared set of process listeners (core) for every package that flushes on exit. A flush,
  // not a close: with an application handler the process may go on, and its own close follows.
  const unregisterExit = settings.flushOnExit
    ? registerExitFlush({
        name: 'trace',
        timeoutMs: closeTimeoutMs,
        flush: (timeoutMs) => flushWithin(timeoutMs),
        received: () => counters.ended,
      })
    : () => {};
  return tracingOf(
    tracer,
    close,
    () => {
      if (closing !== undefined) return closing;
      publishEndedRuns();
      return flushWithin(closeTimeoutMs);
    },
    stats,
    existing === undefined ? 'own' : 'existing',
  );
}
