/**
 * The full JTS instrumentation of a case, as a service would set it up: an access line per
 * request to the file in `LOG_FILE`, the request metrics, and a sampled server span per request
 * exported to a discarding exporter.
 */
import { createLogger } from '../../../packages/log/dist/index.js';
import { createTradingMetrics } from '../../../packages/metrics/dist/index.js';
import { initTracing } from '../../../packages/trace/dist/index.js';
import { DiscardingExporter } from './discarding-exporter.js';
import { logFile } from './serve.js';

/**
 * Starts the logger, metrics and tracing.
 *
 * @param file - the log file (default: `LOG_FILE`)
 * @param withTracing - start tracing too (false: the logger and the metrics only, to show what the span costs)
 * @returns a function that flushes and closes them
 */
export function startJtsSignals(file: string = logFile(), withTracing = true): () => Promise<void> {
  const exporter = new DiscardingExporter();
  const tracing = withTracing
    ? initTracing({ serviceName: 'bench-orders', exporter, flushOnExit: false, instrumentFetch: false })
    : undefined;
  const metrics = createTradingMetrics({ defaultMetrics: false });
  // Every operation gets a line by default, http.server.request included (the access line).
  const logger = createLogger({ serviceName: 'bench-orders', destination: { file }, flushOnExit: false });
  return async () => {
    await tracing?.shutdown();
    await metrics.close();
    await logger.close();
    process.stderr.write(`spans exported: ${exporter.exported}, lines: ${logger.stats().total}\n`);
  };
}
