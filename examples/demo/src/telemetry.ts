import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createAuditTrail } from '@jts/compliance';
import { createLogger } from '@jts/log';
import { createTradingMetrics, metricsHandler } from '@jts/metrics';
import { initTracing } from '@jts/trace';
import { listen } from './services.js';

/**
 * Every signal of the SDK, set up the way a service does at start-up. Each one subscribes to the
 * jts:* operation channels when it is created; nothing imports another package.
 */
export async function startTelemetry(directory: string, otlpUrl: string) {
  const tracing = initTracing({
    serviceName: 'jts-demo',
    serviceVersion: '1.0.0',
    environment: 'demo',
    otlp: { url: `${otlpUrl}/v1/traces`, protocol: 'http/json' }, // the demo's receiver decodes OTLP/JSON
    batch: { scheduledDelayMs: 200 },
    // Keep every order and risk check, one market-data update in ten.
    sampling: { 'order.execution': 'always', 'risk.check': 'always', 'market_data.processing': 0.1, '*': 1 },
  });
  const logger = createLogger({
    serviceName: 'jts-demo',
    serviceVersion: '1.0.0',
    environment: 'demo',
    destination: { file: join(directory, 'demo.log') },
    flushOnExit: false,
  });
  const metrics = createTradingMetrics({ defaultMetrics: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const audit = createAuditTrail({ directory: join(directory, 'audit'), signingKey: privateKey, checkpointEvery: 25, actor: 'order-service' });

  // Self-statistics of the other signals, exposed as metrics through plain callbacks.
  metrics.collectStats('log', () => logger.stats());
  metrics.collectStats('trace', () => tracing.stats());
  metrics.collectStats('audit', () => audit.stats());

  const handler = metricsHandler({ registry: metrics.registry });
  const metricsServer = createServer((req, res) => handler(req, res));
  const metricsUrl = `${await listen(metricsServer)}/metrics`;

  return {
    tracing,
    logger,
    metrics,
    audit,
    publicKey,
    metricsUrl,
    async close() {
      await audit.close();
      await tracing.shutdown();
      await logger.close();
      await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
    },
  };
}
