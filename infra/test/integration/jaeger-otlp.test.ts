import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { orderExecution } from '@jts/core';
import { initTracing } from '@jts/trace';
import { afterEach, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../../packages/trace/test/support/otlp-receiver.js';

// A stand-in for Jaeger's OTLP/HTTP port: it answers only where Jaeger does (POST /v1/traces) and
// hands the request to the decoding OTLP receiver of @jts/trace's tests.
async function startJaegerHttpPort(
  receiver: OtlpReceiver,
): Promise<{ base: string; paths: string[]; close: () => Promise<void> }> {
  const paths: string[] = [];
  const server: Server = createServer(async (request, response) => {
    paths.push(`${request.method} ${request.url}`);
    if (request.method !== 'POST' || request.url !== '/v1/traces') return void response.writeHead(404).end();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const answer = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': String(request.headers['content-type']) },
      body: Buffer.concat(chunks),
    });
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('the SDK reaches Jaeger with OTEL_EXPORTER_OTLP_ENDPOINT alone', () => {
  it('a base URL in OTEL_EXPORTER_OTLP_ENDPOINT (the documented http://jaeger:4318 form) delivers spans to POST /v1/traces', async () => {
    const receiver = await startOtlpReceiver();
    const jaeger = await startJaegerHttpPort(receiver);
    for (const key of Object.keys(process.env)) if (key.startsWith('OTEL_')) delete process.env[key];
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = jaeger.base;
    const tracing = initTracing({
      serviceName: 'order-service',
      flushOnExit: false,
      instrumentFetch: false,
      batch: { scheduledDelayMs: 50 },
    });
    try {
      await orderExecution.run(
        { orderId: 'o-1', strategyId: 'mm-1', symbol: 'AAPL', side: 'buy' },
        async () => undefined,
      );
      await tracing.forceFlush();
      expect(jaeger.paths).toEqual(['POST /v1/traces']);
      expect(receiver.spans.map((span) => span.name)).toEqual(['order.execution']);
      expect(receiver.spans[0]!.resource['service.name']).toBe('order-service');
      expect(tracing.stats().spans).toMatchObject({ exported: 1, dropped: 0 });
    } finally {
      await tracing.shutdown();
      await jaeger.close();
      await receiver.close();
    }
  });
});
