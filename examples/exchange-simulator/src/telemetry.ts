import { httpStats } from '@jts/http';
import { createLogger } from '@jts/log';
import { createTradingMetrics, metricsHandler } from '@jts/metrics';
import { initTracing } from '@jts/trace';

/**
 * The JTS signals of this service, created once at start-up. Each subscribes to the `@jts/core`
 * operations when created; everything else (endpoint, sampling, log file, level) comes from the
 * `OTEL_*` and `JTS_*` environment variables the packages read themselves.
 *
 * @param serviceName - `service.name` of every signal
 * @returns the signals, the `/metrics` handler and `close()`
 */
export function startTelemetry(serviceName: string) {
  // Tracing first: it installs the context manager the logger reads trace IDs from.
  const tracing = initTracing({ serviceName });
  const logger = createLogger({ serviceName });
  const metrics = createTradingMetrics();
  metrics.collectStats('log', () => logger.stats());
  metrics.collectStats('trace', () => tracing.stats());
  metrics.collectStats('http', httpStats);
  return {
    tracing,
    logger,
    metrics,
    scrape: metricsHandler({ registry: metrics.registry }),
    /** Flushes spans, then the log lines (the logger last, so shutdown lines are kept). */
    async close(): Promise<void> {
      await metrics.close();
      await tracing.close();
      await logger.close();
    },
  };
}

/** The signals of this service. */
export type Telemetry = ReturnType<typeof startTelemetry>;
