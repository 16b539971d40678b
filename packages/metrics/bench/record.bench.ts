/**
 * Hot-path cost of recording one order execution (histogram + counter, 5 labels) against the
 * source specification's raw prom-client pattern, without and then with a sampled span per order.
 * Every call is a new order: its own label object (and, in the second suite, its own span).
 * Run: node --import tsx packages/metrics/bench/record.bench.ts
 */
import { type Context, type ContextManager, ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { AlwaysOnSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { Counter, Histogram, Registry } from 'prom-client';
import { compare } from '../../../bench/harness.js';
import { openMetricsRegistry } from '../test/support/registries.js';
import { createTradingMetrics, ORDER_LATENCY_BUCKETS } from '../dist/index.js';

const COMBOS = Array.from({ length: 16 }, (_unused, index) => ({
  strategyId: `strategy-${index % 4}`,
  symbol: ['AAPL', 'MSFT', 'TSLA', 'NVDA'][index % 4]!,
  exchange: index % 2 === 0 ? 'XNAS' : 'ARCX',
  side: index % 3 === 0 ? 'sell' : 'buy',
  orderType: 'limit',
}));
const ORDER_COUNT = 1024;
// One label object per order, as a service passes a new one with each order: 1024 built up front
// (cycled), over the same 16 label sets (the series exist after the first 16 orders).
const ORDERS = Array.from({ length: ORDER_COUNT }, (_unused, index) => ({ ...COMBOS[index & 15]! }));
const DURATIONS = [0.0003, 0.0012, 0.004, 0.02, 0.15];

function rawPromClient(exemplars: boolean) {
  const registry = openMetricsRegistry(exemplars);
  const labelNames = ['strategy_id', 'symbol', 'exchange', 'side', 'order_type'];
  const histogram = new Histogram({
    name: 'order_execution_duration_seconds',
    help: 'x',
    labelNames,
    buckets: [...ORDER_LATENCY_BUCKETS],
    registers: [registry],
    enableExemplars: exemplars,
  });
  const counter = new Counter({
    name: 'order_execution_total',
    help: 'x',
    labelNames: [...labelNames, 'status'],
    registers: [registry],
    enableExemplars: exemplars,
  });
  return { histogram, counter };
}

/**
 * Makes each order's span the active one without an AsyncLocalStorage: a service enters the span's
 * scope once per order through its tracer (that cost is the tracer's, measured in
 * trace-order-span); what is measured here is the recorders reading a different span per order.
 */
class OrderSpanContextManager implements ContextManager {
  current: Context = ROOT_CONTEXT;
  active(): Context {
    return this.current;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    scope: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.current;
    this.current = scope;
    try {
      return fn.apply(thisArg, args);
    } finally {
      this.current = previous;
    }
  }
  bind<T>(_scope: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}
const manager = new OrderSpanContextManager();
/** The OpenTelemetry context of each order (its span active); set for the exemplar suite. */
let orderContexts: Context[] | undefined;

let index = 0;
/** The next order: its labels, and (exemplar suite) its span made active. */
const next = () => {
  const slot = index++ & (ORDER_COUNT - 1);
  if (orderContexts !== undefined) manager.current = orderContexts[slot]!;
  return ORDERS[slot]!;
};
const seconds = () => DURATIONS[index % 5]!;

const raw = rawPromClient(false);
const specPattern = () => {
  const order = next();
  raw.histogram.labels(order.strategyId, order.symbol, order.exchange, order.side, order.orderType).observe(seconds());
  raw.counter.labels(order.strategyId, order.symbol, order.exchange, order.side, order.orderType, 'success').inc();
};
const rawExemplar = rawPromClient(true);
const ours = createTradingMetrics({ strict: false, defaultMetrics: false, operations: false });
const oursStrict = createTradingMetrics({
  strict: true,
  defaultMetrics: false,
  operations: false,
  registry: new Registry(),
});
const handles = COMBOS.map((labels) => ours.series('order_execution_duration_seconds', labels));

const cases = [
  { name: 'prom-client: .labels(5).observe + .labels(6).inc (spec pattern)', baseline: true, fn: specPattern },
  {
    name: 'prom-client: observe + inc with exemplars',
    fn: () => {
      const order = next();
      const labels = {
        strategy_id: order.strategyId,
        symbol: order.symbol,
        exchange: order.exchange,
        side: order.side,
        order_type: order.orderType,
      };
      const span = trace.getActiveSpan()?.spanContext();
      const exemplarLabels = span ? { trace_id: span.traceId, span_id: span.spanId } : {};
      rawExemplar.histogram.observe({ labels, value: seconds(), exemplarLabels });
      rawExemplar.counter.inc({ labels: { ...labels, status: 'success' }, value: 1, exemplarLabels });
    },
  },
  { name: 'recordOrderExecution (production)', fn: () => ours.recordOrderExecution(next(), seconds()) },
  { name: 'recordOrderExecution (strict)', fn: () => oursStrict.recordOrderExecution(next(), seconds()) },
  {
    name: 'pre-resolved series handle observe',
    fn: () => {
      next();
      // The order's series handle, resolved once per label set (orders cycle over the 16 sets).
      handles[(index - 1) & 15]!.observe(seconds());
    },
  },
];

await compare({
  suite: 'metrics-record',
  title: '@jts/metrics: recording an order execution (no active span)',
  description:
    'One order execution = histogram observe (5 labels) + counter inc (6 labels). Figures are per order: each call is a new order with its own label object (1024 built up front, cycled) over 16 label sets, passed to our recorders as the service would pass it; raw prom-client gets the same values positionally (spec pattern) or in a labels object built per call (exemplar case). Baseline: the source specification pattern on raw prom-client 15.',
  cases,
  goals: [
    {
      case: 'recordOrderExecution (production)',
      text: 'recordOrderExecution at most 0.25x the spec pattern',
      maxTimeRatio: 0.25,
    },
  ],
});

context.setGlobalContextManager(manager);
const provider = new BasicTracerProvider({ sampler: new AlwaysOnSampler() });
trace.setGlobalTracerProvider(provider);
const tracer = provider.getTracer('bench');
// One sampled span per order (real SDK spans with their own trace and span IDs).
const spans = Array.from({ length: ORDER_COUNT }, () => tracer.startSpan('order'));
orderContexts = spans.map((span) => trace.setSpan(ROOT_CONTEXT, span));
await compare({
  suite: 'metrics-record-exemplars',
  title: '@jts/metrics: recording an order execution inside its sampled span (exemplars)',
  description:
    "Same calls, each order inside its own sampled OpenTelemetry span (1024 spans, one per order, cycled): our recorders attach that span's trace_id/span_id as exemplars to the histogram bucket and the counter; the raw exemplar case reads the active span per call too. The order's span is made active by a context manager that points at it (no AsyncLocalStorage): entering a span's scope is the tracer's per-order cost (trace-order-span), the same with or without metrics, so it is left out of every case here.",
  cases,
  goals: [
    {
      case: 'recordOrderExecution (production)',
      text: 'recordOrderExecution with exemplars at most 0.25x the spec pattern',
      maxTimeRatio: 0.25,
    },
  ],
});
orderContexts = undefined;
for (const span of spans) span.end();
const exposition = await ours.metrics({ openMetrics: true });
const traceIds = new Set(spans.map((span) => span.spanContext().traceId));
const exemplarIds = [...exposition.matchAll(/trace_id="([0-9a-f]{32})"/g)].map((match) => match[1]);
if (exemplarIds.length === 0 || !exemplarIds.every((id) => traceIds.has(id!)))
  throw new Error("exemplars were not recorded from the orders' spans during the benchmark");
if (new Set(exemplarIds).size < 2) throw new Error('exemplars did not follow the span of each order');
