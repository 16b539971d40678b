import { buckets, parseExposition, quantile, sum } from './exposition.js';

/** What the progress line shows, read from the order service's `/metrics`. */
export interface FlowFigures {
  readonly orders: number;
  readonly ordersPerSecond: number;
  readonly p50Seconds: number | undefined;
  readonly p95Seconds: number | undefined;
  readonly p99Seconds: number | undefined;
  readonly rejected: number;
  readonly errors: number;
}

const ms = (seconds: number | undefined) => (seconds === undefined ? '-' : `${(seconds * 1000).toFixed(1)} ms`);

/** Renders one progress line. */
export function formatProgress(figures: FlowFigures, secondsLeft: number): string {
  return `${figures.ordersPerSecond.toFixed(1).padStart(5)} orders/s | ${String(figures.orders).padStart(5)} orders | latency p50 ${ms(figures.p50Seconds)} p95 ${ms(figures.p95Seconds)} p99 ${ms(figures.p99Seconds)} | rejected ${figures.rejected} | errors ${figures.errors} | ${Math.max(0, Math.ceil(secondsLeft))} s left`;
}

/**
 * Follows the order flow by scraping the order service's `/metrics` (as Prometheus would):
 * `order_execution_total` by status, `order_execution_errors_total`, and the latency quantiles of
 * `order_execution_duration_seconds` (from its buckets, as `histogram_quantile` computes them).
 * The rate is over the last 5 s.
 *
 * @param metricsUrl - the order service's `/metrics`
 * @returns `read()`, resolving to the current figures
 */
export function createFlowMonitor(metricsUrl: string) {
  const history: { at: number; orders: number }[] = [];
  return {
    async read(): Promise<FlowFigures> {
      const samples = parseExposition(await (await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) })).text());
      const orders = sum(samples, 'order_execution_total');
      const now = Date.now();
      history.push({ at: now, orders });
      while (history.length > 1 && now - history[0]!.at > 5000) history.shift();
      const first = history[0]!;
      const cumulative = buckets(samples, 'order_execution_duration_seconds');
      return {
        orders,
        ordersPerSecond: now > first.at ? ((orders - first.orders) * 1000) / (now - first.at) : 0,
        p50Seconds: quantile(cumulative, 0.5),
        p95Seconds: quantile(cumulative, 0.95),
        p99Seconds: quantile(cumulative, 0.99),
        rejected: sum(samples, 'order_execution_total', { status: 'rejected' }),
        errors: sum(samples, 'order_execution_errors_total'),
      };
    },
  };
}
