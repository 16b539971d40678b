import { context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTradingMetrics, metricsHandler, type TradingMetrics } from '../../src/index.js';
import { listen } from '../support/http.js';
import { requireBinary } from '../../../../test/support/infra-binaries.js';
import { eventually, type RunningPrometheus, startPrometheus } from '../../../../test/support/prometheus.js';
import { startTestTracing, type TestTracing } from '../support/tracing.js';

const binary = requireBinary('prometheus');
const ORDER = { strategyId: 'mm-1', symbol: 'AAPL', exchange: 'XNAS', side: 'buy', orderType: 'limit' };

describe.skipIf(binary === undefined)('against a real Prometheus with exemplar storage', () => {
  let tracing: TestTracing;
  let metrics: TradingMetrics;
  let prometheus: RunningPrometheus;
  let closeServer: () => Promise<void>;
  const traceIds: string[] = [];

  beforeAll(async () => {
    tracing = startTestTracing();
    metrics = createTradingMetrics({ strict: false, defaultMetricsPrefix: 'orders_' });
    const handler = metricsHandler({ registry: metrics.registry });
    const server = await listen((req, res) => {
      if (req.url === '/metrics') handler(req, res);
      else res.writeHead(404).end();
    });
    closeServer = server.close;
    for (let index = 0; index < 5; index++) {
      const span = tracing.sampled.startSpan('submit order');
      context.with(trace.setSpan(context.active(), span), () =>
        metrics.recordOrderExecution(ORDER, 0.002 * (index + 1)),
      );
      span.end();
      traceIds.push(span.spanContext().traceId);
    }
    prometheus = await startPrometheus({ binary: binary!, targets: [server.url.replace('http://', '')] });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await closeServer?.();
    metrics?.close();
    await tracing?.shutdown();
  });

  it('scrapes the OpenMetrics exposition and stores trace exemplars on histogram buckets and counters', async () => {
    const query = async (selector: string) => {
      const end = Date.now() / 1000 + 60;
      const start = end - 600;
      const response = await fetch(
        `${prometheus.url}/api/v1/query_exemplars?query=${encodeURIComponent(selector)}&start=${start}&end=${end}`,
      );
      const body = (await response.json()) as {
        status: string;
        data: {
          seriesLabels: Record<string, string>;
          exemplars: { labels: Record<string, string>; value: string }[];
        }[];
      };
      expect(body.status).toBe('success');
      return body.data.length > 0 ? body.data : undefined;
    };
    const buckets = await eventually(
      () => query('order_execution_duration_seconds_bucket'),
      30_000,
      `exemplars in Prometheus\n${prometheus.logs()}`,
    );
    const exemplars = buckets.flatMap((series) =>
      series.exemplars.map((exemplar) => ({ ...exemplar, le: series.seriesLabels.le })),
    );
    expect(exemplars.length).toBeGreaterThan(0);
    for (const exemplar of exemplars) {
      expect(traceIds).toContain(exemplar.labels.trace_id);
      expect(exemplar.labels.span_id).toMatch(/^[0-9a-f]{16}$/);
    }
    // The last observation (0.01 s) sits in the le="0.01" bucket with its own trace.
    expect(exemplars.find((exemplar) => exemplar.le === '0.01')?.labels.trace_id).toBe(traceIds[4]);
    const counters = await eventually(() => query('order_execution_total'), 10_000, 'counter exemplars');
    expect(counters[0]!.exemplars[0]!.labels.trace_id).toBe(traceIds[4]);
  });

  it('answers the corrected quantile query and the default runtime metrics with their prefix', async () => {
    const total = await eventually(
      async () => {
        const result = (await prometheus.query('sum(order_execution_total)')) as { value: [number, string] }[];
        return result.length > 0 ? result : undefined;
      },
      20_000,
      'order_execution_total',
    );
    expect(total[0]!.value[1]).toBe('5');
    const quantile = await eventually(
      async () => {
        const result = (await prometheus.query(
          'histogram_quantile(0.95, sum by (le) (rate(order_execution_duration_seconds_bucket[1m])))',
        )) as { value: [number, string] }[];
        return result.length > 0 ? result : undefined;
      },
      20_000,
      'histogram_quantile result',
    );
    // No new observations between scrapes: the rate is 0 and the quantile NaN, but the query is valid and returns a series.
    expect(quantile).toHaveLength(1);
    const lag = (await prometheus.query('orders_nodejs_eventloop_lag_seconds')) as unknown[];
    expect(lag).toHaveLength(1);
    const up = (await prometheus.query('up')) as { value: [number, string] }[];
    expect(up[0]!.value[1]).toBe('1');
  });
});
