// The two stacks without JTS, doing the work the JTS stack does for an order: the same span (name,
// kind, attributes), the same metric series (the catalog's order histogram and counters), the same
// log line fields, a new correlation ID per order.
//   hand-wired: what a careful service writes: observe/inc with `trace_id`/`span_id` exemplars of a
//     sampled span, a pino `mixin` adding the active span's IDs to every line.
//   spec pattern: the source specification's shape: `startActiveSpan`, `.labels(...).observe()` and
//     `.labels(...).inc()` without exemplars, the span's IDs passed to the log call.
import { randomUUID } from 'node:crypto';
import { type Span, SpanKind, SpanStatusCode, TraceFlags, type Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { ORDER_LATENCY_BUCKETS } from '../../packages/metrics/dist/index.js';
import { OPERATION, type OrderInput, asyncStep, syncStep } from './orders.js';
import { startOtel, startPino } from './otel-setup.js';
import type { OrderStack, StackSettings } from './stack.js';

const LABELS = ['strategy_id', 'symbol', 'exchange', 'side', 'order_type'];

function orderMetrics(exemplars: boolean) {
  const RegistryOf = Registry as unknown as new (contentType: string) => Registry;
  const registry = new RegistryOf(exemplars ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
  const common = { registers: [registry], enableExemplars: exemplars };
  return {
    registry,
    duration: new Histogram<string>({
      name: 'order_execution_duration_seconds',
      help: 'Time from order submission to broker acknowledgement.',
      labelNames: LABELS,
      buckets: [...ORDER_LATENCY_BUCKETS],
      ...common,
    }),
    executions: new Counter<string>({
      name: 'order_execution_total',
      help: 'Orders executed, by outcome status.',
      labelNames: [...LABELS, 'status'],
      ...common,
    }),
    errors: new Counter<string>({
      name: 'order_execution_errors_total',
      help: 'Order executions that failed, by error type.',
      labelNames: ['strategy_id', 'symbol', 'exchange', 'error_type'],
      ...common,
    }),
  };
}
type OrderMetrics = ReturnType<typeof orderMetrics>;

/** What both stacks do when the step has returned or thrown: metrics, the line, the span's end. */
type Finish = (span: Span, order: OrderInput, correlationId: string, started: number, error?: unknown) => void;

function handWiredFinish(metrics: OrderMetrics, logger: Logger): Finish {
  return (span, order, correlationId, started, error) => {
    const milliseconds = performance.now() - started;
    const status = error === undefined ? 'success' : 'error';
    const spanContext = span.spanContext();
    const exemplarLabels =
      (spanContext.traceFlags & TraceFlags.SAMPLED) === 0
        ? undefined
        : { trace_id: spanContext.traceId, span_id: spanContext.spanId };
    const labels = {
      strategy_id: order.strategyId,
      symbol: order.symbol,
      exchange: order.exchange,
      side: order.side,
      order_type: order.orderType,
    };
    metrics.duration.observe({ labels, value: milliseconds / 1000, exemplarLabels });
    metrics.executions.inc({ labels: { ...labels, status }, value: 1, exemplarLabels });
    if (error !== undefined) {
      const errorType = error instanceof Error ? error.name : 'error';
      metrics.errors.inc({
        strategy_id: order.strategyId,
        symbol: order.symbol,
        exchange: order.exchange,
        error_type: errorType,
      });
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    logger[error === undefined ? 'info' : 'error'](
      {
        correlation_id: correlationId,
        'trading.order_id': order.orderId,
        'trading.strategy_id': order.strategyId,
        'trading.symbol': order.symbol,
        'trading.exchange': order.exchange,
        'trading.side': order.side,
        'trading.order_type': order.orderType,
        'event.action': OPERATION,
        'event.outcome': error === undefined ? 'success' : 'failure',
        'event.duration': Math.round(milliseconds * 1e6),
        'jts.operation.status': status,
      },
      `${OPERATION} ${error === undefined ? 'completed' : 'failed'}`,
    );
    span.end();
  };
}

function specFinish(metrics: OrderMetrics, logger: Logger): Finish {
  return (span, order, correlationId, started, error) => {
    const seconds = (performance.now() - started) / 1000;
    const status = error === undefined ? 'success' : 'error';
    metrics.duration
      .labels(order.strategyId, order.symbol, order.exchange, order.side, order.orderType)
      .observe(seconds);
    metrics.executions
      .labels(order.strategyId, order.symbol, order.exchange, order.side, order.orderType, status)
      .inc();
    if (error !== undefined) {
      metrics.errors.labels(order.strategyId, order.symbol, order.exchange, 'error').inc();
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    const { traceId, spanId } = span.spanContext();
    logger.info(
      {
        correlation_id: correlationId,
        'trading.order_id': order.orderId,
        'trading.strategy_id': order.strategyId,
        'trading.symbol': order.symbol,
        'trading.exchange': order.exchange,
        'trading.side': order.side,
        'trading.order_type': order.orderType,
        'trace.id': traceId,
        'span.id': spanId,
        'event.action': OPERATION,
        'event.outcome': error === undefined ? 'success' : 'failure',
        'event.duration': Math.round(seconds * 1e9),
        'jts.operation.status': status,
      },
      `${OPERATION} ${status === 'success' ? 'completed' : 'failed'}`,
    );
    span.end();
  };
}

/** The span of an order: the trading attributes and the correlation ID, as @jts/trace sets them. */
const spanOptions = (order: OrderInput, correlationId: string) => ({
  kind: SpanKind.INTERNAL,
  attributes: {
    'trading.order_id': order.orderId,
    'trading.strategy_id': order.strategyId,
    'trading.symbol': order.symbol,
    'trading.exchange': order.exchange,
    'trading.side': order.side,
    'trading.order_type': order.orderType,
    correlation_id: correlationId,
  },
});

function orderFunction(tracer: Tracer, finish: Finish, async: boolean): (order: OrderInput) => unknown {
  if (!async)
    return (order) => {
      const correlationId = randomUUID();
      return tracer.startActiveSpan(OPERATION, spanOptions(order, correlationId), (span) => {
        const started = performance.now();
        let result: number;
        try {
          result = syncStep();
        } catch (error) {
          finish(span, order, correlationId, started, error);
          throw error;
        }
        finish(span, order, correlationId, started);
        return result;
      });
    };
  return (order) => {
    const correlationId = randomUUID();
    return tracer.startActiveSpan(OPERATION, spanOptions(order, correlationId), async (span) => {
      const started = performance.now();
      let result: number;
      try {
        result = await asyncStep();
      } catch (error) {
        finish(span, order, correlationId, started, error);
        throw error;
      }
      finish(span, order, correlationId, started);
      return result;
    });
  };
}

/**
 * Creates the hand-wired stack or the spec-pattern stack.
 *
 * @param settings - step kind, sampling, directory
 * @param kind - which of the two
 * @returns the stack
 */
export function createOtelStack(settings: StackSettings, kind: 'hand-wired' | 'spec'): OrderStack {
  const handWired = kind === 'hand-wired';
  const otel = startOtel(settings.sampled);
  const log = startPino(settings.directory, handWired);
  const metrics = orderMetrics(handWired);
  const finish = handWired ? handWiredFinish(metrics, log.logger) : specFinish(metrics, log.logger);
  return {
    order: orderFunction(otel.tracer, finish, settings.async),
    exemplars: handWired,
    audit: false,
    async signals() {
      await otel.provider.forceFlush();
      await log.drained();
      return {
        logFile: log.file,
        spansExported: otel.exporter.exported,
        firstSpan: otel.exporter.first,
        exposition: await metrics.registry.metrics(),
      };
    },
    async close() {
      await otel.provider.shutdown();
      await log.close();
    },
  };
}
