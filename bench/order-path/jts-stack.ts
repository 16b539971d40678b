// The JTS stack as a service sets it up (see examples/order-service/src/telemetry.ts): the logger
// writing to a file, the trading metrics (exemplars on by default), tracing with its own pipeline
// (batch processor) exporting to a discarding exporter, and optionally the audit trail recording
// every order run; the order is `orderExecution.run(order, step)`, nothing else.
import { join } from 'node:path';
import { orderExecution } from '../../packages/core/dist/index.js';
import { createAuditTrail, generateAuditKeyPair } from '../../packages/compliance/dist/index.js';
import { createLogger } from '../../packages/log/dist/index.js';
import { createTradingMetrics } from '../../packages/metrics/dist/index.js';
import { initTracing } from '../../packages/trace/dist/index.js';
import { CountingExporter, type OrderInput, SERVICE_NAME, asyncStep, syncStep } from './orders.js';
import type { OrderStack, StackSettings } from './stack.js';

/**
 * Creates every JTS signal; `env: {}` keeps the machine's `JTS_*` and `OTEL_*` variables out.
 *
 * @param settings - step kind, sampling, directory
 * @param withAudit - also subscribe the audit trail to order runs
 * @returns the stack
 */
export function createJtsStack(settings: StackSettings, withAudit: boolean): OrderStack {
  const exporter = new CountingExporter();
  const logFile = join(settings.directory, 'orders.log');
  const tracing = initTracing({
    serviceName: SERVICE_NAME,
    exporter,
    env: {},
    // Sampled: the default rules (order.execution always). Unsampled: the rule for orders at 0.
    ...(!settings.sampled && { sampling: { 'order.execution': 0 } }),
  });
  // Runtime metrics off, as in the other stacks: they cost nothing per order.
  const metrics = createTradingMetrics({ defaultMetrics: false, env: {} });
  const logger = createLogger({ serviceName: SERVICE_NAME, destination: { file: logFile }, env: {} });
  const audit = withAudit
    ? createAuditTrail({
        directory: join(settings.directory, 'audit'),
        signingKey: generateAuditKeyPair().privateKeyPem,
        operations: ['order.execution'],
        actor: SERVICE_NAME,
        env: {},
      })
    : undefined;
  return {
    order: settings.async
      ? (order: OrderInput) => orderExecution.run(order, asyncStep)
      : (order: OrderInput) => orderExecution.run(order, syncStep),
    exemplars: true,
    audit: withAudit,
    async signals() {
      await tracing.flush();
      await logger.flush();
      await audit?.flush();
      const spans = tracing.stats().spans;
      return {
        logFile,
        spansExported: exporter.exported,
        firstSpan: exporter.first,
        exposition: await metrics.metrics({ openMetrics: true }),
        ...(audit && { auditRecords: audit.stats().recorded }),
        dropped: spans.dropped + spans.rejected + logger.stats().dropped,
      };
    },
    async close() {
      await audit?.close();
      await metrics.close();
      await tracing.close();
      await logger.close();
    },
  };
}
