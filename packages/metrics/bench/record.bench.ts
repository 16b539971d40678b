/**
 * Hot-path cost of recording one order execution (histogram + counter, 5 labels) against the
 * source specification's raw prom-client pattern, without and then with a sampled active span.
 * Run: node --import tsx packages/metrics/bench/record.bench.ts
 */
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, trace } from '@opentelemetry/api';
import { AlwaysOnSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { Counter, Histogram, Registry } from 'prom-client';
import { compare } from '../../../bench/harness.js';
import { openMetricsRegistry } from '../test/support/registries.js';
import { createTradingMetrics, ORDER_LATENCY_BUCKETS } from '../src/index.js';

const COMBOS = Array.from({ length: 16 }, (_unused, index) => ({
  strategyId: `strategy-${index % 4}`,
  symbol: ['AAPL', 'MSFT', 'TSLA', 'NVDA'][index % 4]!,
  exchange: index % 2 === 0 ? 'XNAS' : 'ARCX',
  side: index % 3 === 0 ? 'sell' : 'buy',
  orderType: 'limit',
}));
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

let index = 0;
const next = () => COMBOS[index++ & 15]!;
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
const handles = COMBOS.map((order) => ours.series('order_execution_duration_seconds', order));

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
  { name: 'pre-resolved series handle observe', fn: () => handles[index++ & 15]!.observe(seconds()) },
];

await compare({
  suite: 'metrics-record',
  title: '@jts/metrics: recording an order execution (no active span)',
  description:
    'One order execution = histogram observe (5 labels) + counter inc (6 labels), cycling over 16 label sets. Baseline: the source specification pattern on raw prom-client 15.',
  cases,
  goals: [
    {
      case: 'recordOrderExecution (production)',
      text: 'recordOrderExecution at most 0.25x the spec pattern',
      maxTimeRatio: 0.25,
    },
  ],
});

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const provider = new BasicTracerProvider({ sampler: new AlwaysOnSampler() });
trace.setGlobalTracerProvider(provider);
const span = provider.getTracer('bench').startSpan('order');
await context.with(trace.setSpan(context.active(), span), () =>
  compare({
    suite: 'metrics-record-exemplars',
    title: '@jts/metrics: recording an order execution inside a sampled span (exemplars)',
    description:
      'Same calls inside an active sampled OpenTelemetry span: our recorders attach trace_id/span_id exemplars to the histogram bucket and the counter.',
    cases,
    goals: [
      {
        case: 'recordOrderExecution (production)',
        text: 'recordOrderExecution with exemplars at most 0.25x the spec pattern',
        maxTimeRatio: 0.25,
      },
    ],
  }),
);
span.end();
const exposition = await ours.metrics({ openMetrics: true });
if (!exposition.includes(`trace_id="${span.spanContext().traceId}"`))
  throw new Error('exemplars were not recorded during the benchmark');
