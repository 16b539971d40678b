// The three ways of tracing one order step that both order-span benchmarks compare: raw
// OpenTelemetry, @jts/core's operation wrapped around raw OpenTelemetry by hand, and @jts/trace.
import { type Tracer, context, propagation, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { BatchSpanProcessor, type Sampler, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { orderExecution } from '@jts/core';
import { type Tracing, initTracing } from '../src/index.js';

const discarding: SpanExporter = {
  export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: async () => {},
};
let sink = 0;
/** The order step itself: the same tiny synchronous work in every case. */
export const work = () => {
  sink = (sink + 1) | 0;
  return sink;
};
const order = { orderId: 'o-1', symbol: 'AAPL', side: 'buy', strategyId: 'mm-1' };
const rawAttributes = {
  'trading.order_id': 'o-1',
  'trading.symbol': 'AAPL',
  'trading.side': 'buy',
  'trading.strategy_id': 'mm-1',
};

let provider: NodeTracerProvider | undefined;
let rawTracer: Tracer;
let tracing: Tracing | undefined;

/** Registers a raw NodeTracerProvider with OpenTelemetry's defaults (its own AsyncLocalStorage, W3C propagators). */
export const rawSetup = (sampler: Sampler) => () => {
  provider = new NodeTracerProvider({ sampler, spanProcessors: [new BatchSpanProcessor(discarding)] });
  provider.register();
  rawTracer = trace.getTracer('bench');
};
export const rawTeardown = async () => {
  await provider?.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
};
/** Starts @jts/trace with the discarding exporter and the given sampling rules. */
export const jtsSetup = (sampling: Record<string, number>) => () => {
  tracing = initTracing({ exporter: discarding, sampling, flushOnExit: false, instrumentFetch: false, env: {} });
};
export const jtsTeardown = async () => {
  await tracing?.shutdown();
};

/** Raw OpenTelemetry: `startActiveSpan` with the 4 trading attributes. */
export const rawSpan = () =>
  rawTracer.startActiveSpan('order.execution', { attributes: rawAttributes }, (span) => {
    work();
    span.end();
  });
/** For reference: @jts/core's operation around raw OpenTelemetry by hand (two AsyncLocalStorages). */
export const handWiredSpan = () => orderExecution.run(order, rawSpan);
/** @jts/trace: the core operation, its span bound on core's one store. */
export const jtsSpan = () => orderExecution.run(order, work);
