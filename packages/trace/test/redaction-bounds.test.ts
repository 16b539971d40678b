import { SpanStatusCode, trace } from '@opentelemetry/api';
import { httpServerRequest, orderExecution } from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestTracing, byName, startTestTracing } from './support/in-memory-tracing.js';

let tracing: TestTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

describe('spans bounded and redacted by the one walker', () => {
  it('a thrown error: exception event and status message redacted (the status message was exported verbatim)', async () => {
    tracing = startTestTracing();
    expect(() =>
      orderExecution.run({ orderId: 'o-1' }, () => {
        throw new Error('card 4111 1111 1111 1111 declined for DE89 3704 0044 0532 0130 00');
      }),
    ).toThrow();
    const span = byName(await tracing.spans(), 'order.execution');
    expect(span.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'card ************1111 declined for ************3000',
    });
    expect(span.events[0]?.attributes?.['exception.message']).toBe(
      'card ************1111 declined for ************3000',
    );
    expect(String(span.events[0]?.attributes?.['exception.stacktrace'])).not.toContain('4111 1111');
  });

  it('a raw URL where a route template belongs: the span name is redacted like the attributes', async () => {
    tracing = startTestTracing();
    httpServerRequest.run(
      {
        method: 'GET',
        url: '/reset/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
        route: '/reset/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
        headers: {},
      },
      () => undefined,
    );
    const [span] = await tracing.spans();
    expect(span?.name).toBe('GET /reset/[REDACTED]');
    expect(span?.attributes['http.route']).toBe('/reset/[REDACTED]');
  });

  it('a 1 MB query string is cut at the string limit before it is scanned (it was scanned whole)', async () => {
    tracing = startTestTracing();
    const query = `q=${'eyJ-'.repeat(256 * 1024)}`;
    httpServerRequest.run({ method: 'GET', url: `/orders?${query}`, route: '/orders', headers: {} }, () => undefined);
    const [span] = await tracing.spans();
    expect(span?.attributes['url.query']).toBe(
      `${query.slice(0, 16_384)}...[truncated ${query.length - 16_384} chars]`,
    );
  });

  it('event attributes and a status message set by the application are redacted too', async () => {
    tracing = startTestTracing();
    const span = tracing.tracer.startSpan('manual');
    span.addEvent('reply', { body: 'Bearer mF_9.B5f-4.1JqM', password: 'p' });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'login https://u:pw@broker.example failed' });
    span.end();
    const [ended] = await tracing.spans();
    expect(ended?.events[0]?.attributes).toEqual({ body: 'Bearer [REDACTED]', password: '[REDACTED]' });
    expect(ended?.status.message).toBe('login https://u:[REDACTED]@broker.example failed');
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
