import { createAuditTrail } from '@jts/compliance';
import { httpStats } from '@jts/http';
import { createLogger } from '@jts/log';
import { createTradingMetrics, metricsHandler } from '@jts/metrics';
import { initTracing } from '@jts/trace';

/**
 * The JTS signals of this service, created once at start-up. The audit trail's directory and
 * signing key come from `JTS_AUDIT_DIR` and `JTS_AUDIT_SIGNING_KEY_FILE`; the OTLP endpoint, log
 * file and level from the `OTEL_*` and `JTS_*` variables the packages read themselves.
 *
 * @param serviceName - `service.name` of every signal and the audit trail's actor
 * @returns the signals, the `/metrics` handler and `close()`
 */
export function startTelemetry(serviceName: string) {
  const tracing = initTracing({ serviceName });
  const logger = createLogger({ serviceName });
  const audit = createAuditTrail({ actor: serviceName });
  const metrics = createTradingMetrics();
  metrics.collectStats('log', () => logger.stats());
  metrics.collectStats('trace', () => tracing.stats());
  metrics.collectStats('audit', () => audit.stats());
  metrics.collectStats('http', httpStats);
  return {
    tracing,
    logger,
    audit,
    metrics,
    scrape: metricsHandler({ registry: metrics.registry }),
    /** Seals the audit trail, flushes spans, then the log lines (last, so shutdown lines are kept). */
    async close(): Promise<void> {
      await audit.close();
      await metrics.close();
      await tracing.close();
      await logger.close();
    },
  };
}

/** The signals of this service. */
export type Telemetry = ReturnType<typeof startTelemetry>;
