import { orderExecution } from '@jts/core';
import { describe, expect, it } from 'vitest';
import { initTracing } from '../../src/index.js';

const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;

// Runs only when a real collector (Jaeger on :4318, an OpenTelemetry Collector, ...) is named.
describe.skipIf(!endpoint)(
  `export to the real OTLP endpoint ${endpoint ?? '(OTEL_EXPORTER_OTLP_ENDPOINT unset: skipped)'}`,
  () => {
    it('exports a traced order the collector accepts', async () => {
      const tracing = initTracing({ serviceName: 'jts-trace-integration', flushOnExit: false, instrumentFetch: false });
      try {
        await orderExecution.run({ orderId: `it-${Date.now()}`, symbol: 'AAPL', side: 'buy' }, async () => undefined);
        await tracing.flush();
        expect(tracing.stats().spans).toMatchObject({ ended: 1, exported: 1, dropped: 0, rejected: 0 });
      } finally {
        await tracing.close();
      }
    });
  },
);
