import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { runFromHeaders, currentContext, orderExecution } from '@jts/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extractKafkaContext, injectKafkaHeaders, traceBrokerApiCall } from '../src/index.js';
import { type TestTracing, byName, startTestTracing } from './support/in-memory-tracing.js';

let tracing: TestTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

const received: IncomingHttpHeaders[] = [];
const server = createServer((request, response) => {
  received.push(request.headers);
  response.end('ok');
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('outgoing propagation', () => {
  it("traceBrokerApiCall hands the broker span's headers to the call", async () => {
    tracing = startTestTracing({ instrumentFetch: false });
    received.length = 0;
    await orderExecution.run({ orderId: 'o-1', correlationId: 'corr-broker01' }, () =>
      traceBrokerApiCall({ broker: 'ibkr', method: 'POST', url }, async (headers, scope) => {
        const response = await fetch(url, { method: 'POST', headers });
        (scope.message.attributes as Record<string, unknown>).statusCode = response.status;
        return response.text();
      }),
    );
    const broker = byName(await tracing.spans(), 'broker.api_call');
    const headers = received[0];
    const match = TRACEPARENT.exec(String(headers?.traceparent));
    expect(match?.[1]).toBe(broker.spanContext().traceId);
    expect(match?.[2]).toBe(broker.spanContext().spanId);
    expect(headers?.['x-correlation-id']).toBe('corr-broker01');
    expect(headers?.baggage).toContain('jts.correlation_id=corr-broker01');
    expect(broker.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.full': url,
      'http.response.status_code': 200,
      'trading.broker': 'ibkr',
    });
  });

  it("the fetch interceptor injects headers into a plain fetch inside an operation and keeps the caller's", async () => {
    tracing = startTestTracing();
    received.length = 0;
    await orderExecution.run({ orderId: 'o-2', correlationId: 'corr-fetch001' }, async () => {
      await (await fetch(url)).text();
      await (
        await fetch(url, { headers: { traceparent: '00-11111111111111111111111111111111-2222222222222222-01' } })
      ).text();
    });
    const order = byName(await tracing.spans(), 'order.execution');
    expect(TRACEPARENT.exec(String(received[0]?.traceparent))?.[2]).toBe(order.spanContext().spanId);
    expect(received[0]?.['x-correlation-id']).toBe('corr-fetch001');
    expect(received[1]?.traceparent).toBe('00-11111111111111111111111111111111-2222222222222222-01');
  });

  it('stops injecting into fetch after shutdown', async () => {
    tracing = startTestTracing();
    await tracing.close();
    tracing = undefined;
    received.length = 0;
    await orderExecution.run({ orderId: 'o-3' }, async () => (await fetch(url)).text());
    expect(received[0]?.traceparent).toBeUndefined();
  });
});

describe('Kafka headers', () => {
  it('round-trips trace context, baggage and correlation ID through Buffer headers', async () => {
    tracing = startTestTracing({ instrumentFetch: false });
    let produced: Record<string, Buffer> = {};
    orderExecution.run({ orderId: 'o-k', correlationId: 'corr-kafka001' }, () => {
      const headers = injectKafkaHeaders({ 'content-type': 'application/json' });
      produced = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, Buffer.from(String(value))]));
    });
    expect(Object.keys(produced).sort()).toEqual(['baggage', 'content-type', 'traceparent', 'x-correlation-id']);

    let consumerSpan: ReturnType<typeof trace.getActiveSpan>;
    runFromHeaders(produced, () => {
      context.with(extractKafkaContext(produced), () => {
        expect(currentContext()?.correlationId).toBe('corr-kafka001');
        expect(propagation.getActiveBaggage()?.getEntry('jts.correlation_id')?.value).toBe('corr-kafka001');
        orderExecution.run({ orderId: 'o-consumer' }, () => {
          consumerSpan = trace.getActiveSpan();
        });
      });
    });
    const spans = (await tracing.spans()).filter((span) => span.name === 'order.execution');
    const producer = spans.find((span) => span.attributes['trading.order_id'] === 'o-k');
    const consumer = spans.find((span) => span.attributes['trading.order_id'] === 'o-consumer');
    expect(consumer?.spanContext().traceId).toBe(producer?.spanContext().traceId);
    expect(consumer?.parentSpanContext?.spanId).toBe(producer?.spanContext().spanId);
    expect(consumer?.attributes.correlation_id).toBe('corr-kafka001');
    expect(consumerSpan?.spanContext().spanId).toBe(consumer?.spanContext().spanId);
  });

  it('returns the base context for missing, invalid or mixed-case headers without throwing', () => {
    tracing = startTestTracing({ instrumentFetch: false });
    expect(trace.getSpanContext(extractKafkaContext(undefined))).toBeUndefined();
    expect(trace.getSpanContext(extractKafkaContext({ traceparent: Buffer.from([0xff, 0x00, 0x2d]) }))).toBeUndefined();
    const mixed = extractKafkaContext({ TraceParent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    expect(trace.getSpanContext(mixed)?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});
