import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTradingMetrics,
  METRIC_CATALOG,
  ORDER_LATENCY_BUCKETS,
  serializeRegistry,
  type TradingMetrics,
} from '../src/index.js';
import { binaryOrSkip } from '../../../test/support/infra-binaries.js';
import { openMetricsRegistry } from './support/registries.js';
import { parseExposition, sampleMap } from './support/parse-exposition.js';
import { promtoolCheckMetrics } from './support/promtool.js';

let metrics: TradingMetrics | undefined;
afterEach(() => metrics?.close());

const ORDERS = [
  { strategyId: 'mm-1', symbol: 'AAPL', exchange: 'XNAS', side: 'buy', orderType: 'limit' },
  { strategyId: 'mm-1', symbol: 'MSFT', exchange: 'XNAS', side: 'sell', orderType: 'market' },
  { strategyId: 'arb "2"', symbol: 'BTC\\USD', exchange: 'binance', side: 'buy', orderType: 'limit' },
];
const DURATIONS = [0.00005, 0.0001, 0.0042, 0.2, 3, 7.5, 0];

/** The same observations through raw prom-client metrics of the same names, labels and buckets. */
function rawPromClient(registry: Registry) {
  const histogram = new Histogram({
    name: 'order_execution_duration_seconds',
    help: 'x',
    labelNames: ['strategy_id', 'symbol', 'exchange', 'side', 'order_type'],
    buckets: [...ORDER_LATENCY_BUCKETS],
    registers: [registry],
  });
  const counter = new Counter({
    name: 'order_execution_total',
    help: 'x',
    labelNames: ['strategy_id', 'symbol', 'exchange', 'side', 'order_type', 'status'],
    registers: [registry],
  });
  const gauge = new Gauge({ name: 'strategy_pnl', help: 'x', labelNames: ['strategy_id'], registers: [registry] });
  for (const [index, order] of ORDERS.entries()) {
    const labels = [order.strategyId, order.symbol, order.exchange, order.side, order.orderType] as const;
    for (const seconds of DURATIONS) {
      histogram.labels(...labels).observe(seconds * (index + 1));
      counter.labels(...labels, 'success').inc();
    }
  }
  gauge.labels('mm-1').set(-12.5);
}

function recordOurs(target: TradingMetrics) {
  for (const [index, order] of ORDERS.entries())
    for (const seconds of DURATIONS) target.recordOrderExecution(order, seconds * (index + 1));
  target.setStrategyPnl({ strategyId: 'mm-1' }, -12.5);
}

const pick = (text: string, prefixes: string[]) =>
  new Map([...sampleMap(text)].filter(([key]) => prefixes.some((prefix) => key.startsWith(prefix))));
const FAMILIES = ['order_execution_duration_seconds', 'order_execution_total{', 'strategy_pnl{'];

describe('exposition', () => {
  it('parses to the same samples as raw prom-client, through both our writer and registry.metrics()', async () => {
    const theirs = new Registry();
    rawPromClient(theirs);
    metrics = createTradingMetrics({ defaultMetrics: false, operations: false });
    recordOurs(metrics);
    const expected = pick(await theirs.metrics(), FAMILIES);
    // 3 histogram series of 16 buckets + _sum + _count, 3 counter series, 1 gauge series.
    expect(expected.size).toBe(3 * 18 + 3 + 1);
    expect(pick(await metrics.metrics(), FAMILIES)).toEqual(expected);
    expect(pick(await metrics.registry.metrics(), FAMILIES)).toEqual(expected);
  });

  it('writes OpenMetrics like prom-client does for an OpenMetrics registry', async () => {
    const theirs = openMetricsRegistry(true);
    rawPromClient(theirs);
    metrics = createTradingMetrics({ defaultMetrics: false, operations: false });
    recordOurs(metrics);
    const ours = await metrics.metrics({ openMetrics: true });
    const parsed = parseExposition(ours);
    expect(parsed.eof).toBe(true);
    expect(ours.endsWith('# EOF\n')).toBe(true);
    expect(parsed.types.get('order_execution')).toBe('counter');
    expect(parsed.types.has('order_execution_total')).toBe(false);
    expect(pick(ours, FAMILIES)).toEqual(pick(await theirs.metrics(), FAMILIES));
  });

  it('applies registry default labels and keeps foreign metrics, in both formats', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'orders', symbol: 'ignored-for-ours' });
    const mine = new Counter({ name: 'my_jobs_total', help: 'Jobs.', labelNames: ['queue'], registers: [registry] });
    mine.inc({ queue: 'a' }, 2);
    metrics = createTradingMetrics({ registry, defaultMetrics: false, operations: false });
    recordOurs(metrics);
    await serializeRegistry(registry); // first scrape creates the stats-fed series that jts_metrics_series counts
    const ours = await serializeRegistry(registry);
    expect(sampleMap(ours)).toEqual(sampleMap(await registry.metrics()));
    const samples = sampleMap(ours);
    expect(samples.get('my_jobs_total{queue="a",service="orders",symbol="ignored-for-ours"}')).toBe(2);
    expect(samples.get('strategy_pnl{service="orders",strategy_id="mm-1",symbol="ignored-for-ours"}')).toBe(-12.5);
    const openMetrics = parseExposition(await serializeRegistry(registry, { openMetrics: true }));
    expect(openMetrics.samples.find((sample) => sample.name === 'my_jobs_total')?.value).toBe(2);
    expect(openMetrics.types.get('my_jobs')).toBe('counter');
  });

  it('yields to the event loop while writing a big family', async () => {
    metrics = createTradingMetrics({ defaultMetrics: false, operations: false, maxSeriesPerMetric: 10_000 });
    for (let index = 0; index < 5000; index++)
      metrics.recordMarketDataUpdate({ symbol: `S${index}`, exchange: 'X' }, 0.001);
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    const text = await metrics.metrics().then((result) => {
      order.push('scrape done');
      return result;
    });
    expect(order).toEqual(['other work', 'scrape done']);
    expect(sampleMap(text).get('market_data_latency_seconds_count{exchange="X",symbol="S4999"}')).toBe(1);
  });

  it('passes promtool check metrics with every catalog metric populated', (context) => {
    const promtool = binaryOrSkip('promtool', context);
    metrics = createTradingMetrics({ defaultMetrics: false, operations: false });
    for (const entry of METRIC_CATALOG) {
      const labels = Object.fromEntries(entry.labelNames.map((label) => [label, `v-${label}`]));
      const handle = metrics.series(entry.name, labels as never) as {
        observe?: (v: number) => void;
        inc?: (v?: number) => void;
        set?: (v: number) => void;
      };
      if (handle.observe) handle.observe(0.003);
      else if (handle.set) handle.set(4);
      else handle.inc?.(2);
    }
    return Promise.all([metrics.metrics(), metrics.metrics({ openMetrics: true })]).then(([text, openMetricsText]) => {
      expect(parseExposition(openMetricsText).eof).toBe(true);
      const result = promtoolCheckMetrics(promtool, text);
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
      expect(parseExposition(text).types.size).toBe(METRIC_CATALOG.length);
    });
  });
});
