// The three ways of tracing one order step that both order-span benchmarks compare: raw
// OpenTelemetry, @jts/core's operation wrapped around raw OpenTelemetry by hand, and @jts/trace.
// Each call is one new order (a fresh order ID, so @jts/core makes a new context for it).
import { type Tracer, context, propagation, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { BatchSpanProcessor, type Sampler, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { orderExecution } from '../../core/dist/index.js';
import { type Tracing, initTracing } from '../dist/index.js';

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
// Every call is a new order, as a service gets it from a request: its own attributes object with a
// fresh order ID, cycling over 1024 orders built up front (building the IDs is not measured).
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA'];
const ORDERS = Array.from({ length: 1024 }, (_unused, index) => ({
  orderId: `o-${100_000 + index}`,
  symbol: SYMBOLS[index & 3]!,
  side: (index & 4) === 0 ? 'buy' : 'sell',
  strategyId: 'mm-1',
}));
type Order = (typeof ORDERS)[number];
let sequence = 0;
const nextOrder = (): Order => ORDERS[sequence++ & 1023]!;

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

/**
 * Raw OpenTelemetry for one order: `startActiveSpan` with its 4 trading attributes, the attributes
 * object built from the order as a hand-wired service does on every order.
 */
const rawSpanFor = (order: Order) =>
  rawTracer.startActiveSpan(
    'order.execution',
    {
      attributes: {
        'trading.order_id': order.orderId,
        'trading.symbol': order.symbol,
        'trading.side': order.side,
        'trading.strategy_id': order.strategyId,
      },
    },
    (span) => {
      work();
      span.end();
    },
  );
/** Raw OpenTelemetry: a new order per call. */
export const rawSpan = () => rawSpanFor(nextOrder());
/** For reference: @jts/core's operation around raw OpenTelemetry by hand (two AsyncLocalStorages), a new order per call. */
export const handWiredSpan = () => {
  const order = nextOrder();
  return orderExecution.run(order, () => rawSpanFor(order));
};
/** @jts/trace: the core operation (a new context per order), its span bound on core's one store. */
export const jtsSpan = () => orderExecution.run(nextOrder(), work);
