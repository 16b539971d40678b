/**
 * Scrape cost: exposition of 10,000 histogram series (5 labels, 15 buckets) by our writer
 * against prom-client's `registry.metrics()` on the same data, in the same run.
 * Run: node --import tsx packages/metrics/bench/exposition.bench.ts
 */
import { Histogram, Registry } from 'prom-client';
import { compare } from '../../../bench/harness.js';
import { createTradingMetrics, ORDER_LATENCY_BUCKETS } from '../dist/index.js';

const SERIES = Number(process.env.JTS_BENCH_SERIES ?? 10_000);
const labelNames = ['strategy_id', 'symbol', 'exchange', 'side', 'order_type'];
const raw = new Registry();
const histogram = new Histogram({
  name: 'order_execution_duration_seconds',
  help: 'x',
  labelNames,
  buckets: [...ORDER_LATENCY_BUCKETS],
  registers: [raw],
});
const ours = createTradingMetrics({
  strict: false,
  defaultMetrics: false,
  operations: false,
  maxSeriesPerMetric: SERIES * 2,
});

for (let index = 0; index < SERIES; index++) {
  const order = {
    strategyId: `strategy-${index % 50}`,
    symbol: `SYM${index}`,
    exchange: index % 2 ? 'XNAS' : 'ARCX',
    side: index % 3 ? 'buy' : 'sell',
    orderType: 'limit',
  };
  for (const seconds of [0.0004, 0.003, 0.08]) {
    histogram
      .labels(order.strategyId, order.symbol, order.exchange, order.side, order.orderType)
      .observe(seconds * ((index % 7) + 1));
    ours.series('order_execution_duration_seconds', order).observe(seconds * ((index % 7) + 1));
  }
}
const expectedLines = (await raw.metrics()).split('\n').length;
const ourText = await ours.metrics();
if (!ourText.includes(`symbol="SYM${SERIES - 1}"`)) throw new Error('our exposition misses series');
console.log(
  `prom-client lines ${expectedLines}, ours ${ourText.split('\n').length} (ours adds the self-metric families)`,
);

await compare({
  suite: 'metrics-exposition',
  title: `@jts/metrics: exposition of ${SERIES.toLocaleString('en')} histogram series`,
  description: `One scrape of ${SERIES} order-latency histogram series (5 labels, 15 buckets + +Inf, _sum, _count). Baseline: prom-client registry.metrics() on the same observations.`,
  time: 3000,
  cases: [
    { name: 'prom-client registry.metrics()', baseline: true, fn: () => raw.metrics() },
    { name: 'serializeRegistry (Prometheus text)', fn: () => ours.metrics() },
    { name: 'serializeRegistry (OpenMetrics)', fn: () => ours.metrics({ openMetrics: true }) },
    { name: 'our families through prom-client registry.metrics()', fn: () => ours.registry.metrics() },
  ],
  goals: [
    {
      case: 'serializeRegistry (Prometheus text)',
      text: 'exposition of 10,000 histogram series at least 3x faster than registry.metrics()',
      minThroughputRatio: 3,
    },
  ],
});
