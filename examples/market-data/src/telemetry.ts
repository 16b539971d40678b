import { httpStats } from '@jts/http';
import { createLogger } from '@jts/log';
import { createTradingMetrics, metricsHandler } from '@jts/metrics';
import { initTracing } from '@jts/trace';

/**
 * The JTS signals of this service, created once at start-up. Sampling, the OTLP endpoint, the log
 * file and level come from the `OTEL_*` and `JTS_*` variables the packages read themselves; the
 * default sampling keeps one `market_data.processing` run in a thousand
 * (`JTS_TRACE_SAMPLING_RULES=market_data.processing=0.01` keeps more).
 *
 * @param serviceName - `service.name` of every signal
 * @returns the signals, the `/metrics` handler and `close()`
 */
export function startTelemetry(serviceName: string) {
  const tracing = initTracing({ serviceName });
  // Tens of updates a second would drown the log: the access line of each request only. The
  // updates are still measured (metrics) and sampled (spans).
  const logger = createLogger({ serviceName, operations: ['http.server.request'] });
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
