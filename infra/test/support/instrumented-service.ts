import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { orderExecution } from '@jts/core';
import { createTradingMetrics, metricsHandler } from '@jts/metrics';
import { initTracing } from '@jts/trace';

/** A trading service under synthetic order flow, instrumented the way the guides say. */
export interface InstrumentedService {
  /** `127.0.0.1:port` of its `/metrics` endpoint (the scrape target). */
  readonly target: string;
  /** Makes every following order take this long at the broker. */
  setLatencyMs(milliseconds: number): void;
  /** Orders completed so far. */
  completedOrders(): number;
  close(): Promise<void>;
}

const ORDER = { strategyId: 'mm-1', symbol: 'AAPL', side: 'buy', orderType: 'limit', exchange: 'XNAS' } as const;

/**
 * Starts an `http.createServer` on 127.0.0.1:0 serving the real `metricsHandler` of
 * `createTradingMetrics()`, with `initTracing` exporting every order span over OTLP/HTTP to
 * `otlpTracesUrl`, and sends one order through `orderExecution.run` every `intervalMs`
 * (default 25 ms); each order waits `setLatencyMs` (default 2 ms) as if for the broker.
 * Only one per process: tracing registers the global tracer provider.
 */
export async function startInstrumentedService(options: {
  otlpTracesUrl: string;
  intervalMs?: number;
}): Promise<InstrumentedService> {
  const tracing = initTracing({
    serviceName: 'order-service',
    otlp: { url: options.otlpTracesUrl },
    batch: { scheduledDelayMs: 200 },
    sampling: { 'order.execution': 'always' },
    instrumentFetch: false,
    flushOnExit: false,
  });
  const metrics = createTradingMetrics();
  metrics.collectStats('trace', () => tracing.stats());
  const handler = metricsHandler({ registry: metrics.registry });
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/metrics')) handler(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  let latencyMs = 2;
  let sequence = 0;
  let completed = 0;
  const inFlight = new Set<Promise<unknown>>();
  const timer = setInterval(() => {
    const delay = latencyMs;
    const order = orderExecution
      .run({ ...ORDER, orderId: `o-${++sequence}` }, () => new Promise((resolve) => setTimeout(resolve, delay)))
      .then(() => (completed += 1));
    inFlight.add(order);
    void order.finally(() => inFlight.delete(order));
  }, options.intervalMs ?? 25);

  return {
    target: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    setLatencyMs: (milliseconds) => (latencyMs = milliseconds),
    completedOrders: () => completed,
    async close() {
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      metrics.close();
      await tracing.shutdown();
    },
  };
}
