import { type Tracer, trace } from '@opentelemetry/api';
import { JtsError } from '@jts/core';
import { registerExitFlush, withDeadline } from '@jts/core/internal';
import { instrumentFetch } from './fetch-propagation.js';
import { registerContextAndPropagation, registeredTracerProvider } from './internal/global-registration.js';
import { createOwnPipeline } from './internal/own-pipeline.js';
import { resolveSettings } from './internal/resolve-settings.js';
import { subscribeOperationSpans } from './operation-spans.js';
import type { TracingOptions } from './tracing-options.js';
import { type TracingStats, createStatsCounters, snapshotStats } from './tracing-stats.js';

/** What {@link initTracing} returns. */
export interface Tracing {
  /** Tracer for spans of your own (`@jts/trace`). */
  readonly tracer: Tracer;
  /** Exports what has ended, stops tracing and unregisters what initTracing registered. Idempotent; bounded by `shutdownTimeoutMillis`. */
  shutdown(): Promise<void>;
  /** Exports every span that has ended so far (bounded by `shutdownTimeoutMillis`). */
  forceFlush(): Promise<void>;
  /** Span counts: `spans.{started, ended, exported, dropped, rejected}` and `exports.failed`. */
  stats(): TracingStats;
  /** `own` when initTracing registered its provider, `existing` when it used the application's, `disabled` when off. */
  readonly mode: 'own' | 'existing' | 'disabled';
}

const ACTIVE = Symbol.for('jts.trace.active.v1');
type GlobalWithActive = typeof globalThis & { [ACTIVE]?: boolean };
const TRACER_NAME = '@jts/trace';

/**
 * Starts tracing: a NodeTracerProvider exporting over OTLP/HTTP through a BatchSpanProcessor,
 * W3C Trace Context and Baggage propagation, per-operation sampling, attribute redaction, and a
 * span for every `@jts/core` operation. When the application already registered a tracer
 * provider, that provider is used and nothing global is replaced.
 *
 * @param options - see {@link TracingOptions}; each has an environment variable
 * @returns the tracer, `shutdown`, `forceFlush` and `stats`
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a bad option, `JTS_ERR_TRACING_ACTIVE` when tracing is already initialised
 * @example
 * const tracing = initTracing({ serviceName: 'order-service' });
 * await traceOrderExecution({ orderId, symbol: 'AAPL' }, () => broker.submit(order));
 * await tracing.shutdown();
 */
export function initTracing(options: TracingOptions = {}): Tracing {
  const env = options.env ?? process.env;
  const settings = resolveSettings(options, env);
  const counters = createStatsCounters();
  const stats = () => snapshotStats(counters);
  if (!settings.enabled) {
    return { tracer: trace.getTracer(TRACER_NAME), shutdown: async () => {}, forceFlush: async () => {}, stats, mode: 'disabled' };
  }
  const globalState = globalThis as GlobalWithActive;
  if (globalState[ACTIVE]) {
    throw new JtsError('JTS_ERR_TRACING_ACTIVE', 'initTracing was already called; call shutdown() on the first instance before starting another');
  }
  const operations = options.operations && { operations: options.operations };
  const existing = registeredTracerProvider();
  let tracer: Tracer;
  let flush: () => Promise<void>;
  let finish: () => Promise<void>;
  let unregister = () => {};
  let unsubscribe: () => void;

  if (existing === undefined) {
    const pipeline = createOwnPipeline(options, settings, env, counters, TRACER_NAME);
    tracer = pipeline.tracer;
    flush = () => pipeline.flush();
    finish = () => pipeline.shutdown();
    unregister = () => pipeline.unregister();
    unsubscribe = subscribeOperationSpans({ tracer, ...operations });
  } else {
    // The application's provider: its processors count nothing for us, so count our spans here.
    tracer = existing.getTracer(TRACER_NAME);
    const flushable = existing as { forceFlush?: () => Promise<unknown> };
    flush = async () => {
      await flushable.forceFlush?.();
    };
    finish = flush;
    // Our context manager and propagators only where the application registered none.
    unregister = registerContextAndPropagation();
    unsubscribe = subscribeOperationSpans({
      tracer,
      ...operations,
      onSpanStart: (span) => void (span.isRecording() && counters.started++),
      onSpanEnd: () => void counters.ended++,
    });
  }
  const stopFetch = settings.instrumentFetch ? instrumentFetch() : () => {};
  globalState[ACTIVE] = true;

  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      removeSignals?.();
      // Stop starting spans first, then export what has ended, then unregister.
      unsubscribe();
      await withDeadline(finish(), settings.shutdownTimeoutMillis);
      stopFetch();
      unregister();
      globalState[ACTIVE] = false;
    })();
    return closing;
  };
  // One shared set of process listeners (core) for every package that flushes on exit.
  const removeSignals = settings.flushOnSignal
    ? registerExitFlush({ name: 'trace', timeoutMs: settings.shutdownTimeoutMillis, flush: () => shutdown() })
    : undefined;
  return {
    tracer,
    shutdown,
    forceFlush: async () => {
      await withDeadline(flush(), settings.shutdownTimeoutMillis);
    },
    stats,
    mode: existing === undefined ? 'own' : 'existing',
  };
}
