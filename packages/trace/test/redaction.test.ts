import { trace } from '@opentelemetry/api';
import { createRedactionPolicy, orderExecution } from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { traceBrokerApiCall } from '../src/index.js';
import { type TestTracing, byName, startTestTracing } from './support/in-memory-tracing.js';

let tracing: TestTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

describe('span attribute redaction', () => {
  it('masks sensitive keys and values set at start, during the run and in events', async () => {
    tracing = startTestTracing();
    await orderExecution.run({ orderId: 'o-1', accountId: 'ACC-12345678' }, async () => {
      const span = trace.getActiveSpan();
      span?.setAttribute('broker.api_key', 'k-secret-value');
      span?.setAttribute('payment.note', 'card 4111 1111 1111 1111 used');
      span?.setAttribute('auth.header', 'Bearer abc.def.ghi');
      span?.setAttribute('tags', ['plain', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc']);
      span?.addEvent('login', { password: 'hunter2', user: 'u-1' });
      await Promise.resolve();
    });
    const span = byName(await tracing.spans(), 'order.execution');
    expect(span.attributes['broker.api_key']).toBe('[REDACTED]');
    expect(span.attributes['payment.note']).toBe('card ************1111 used');
    expect(span.attributes['auth.header']).toBe('Bearer [REDACTED]');
    expect(span.attributes.tags).toEqual(['plain', 'token [REDACTED]']);
    expect(String(span.attributes['trading.account_id'])).toMatch(/^\*+5678$/);
    expect(span.attributes['trading.order_id']).toBe('o-1');
    expect(span.events[0]?.attributes).toEqual({ password: '[REDACTED]', user: 'u-1' });
  });

  it('masks a password in a broker URL', async () => {
    tracing = startTestTracing({ instrumentFetch: false });
    traceBrokerApiCall(
      { broker: 'b', method: 'GET', url: 'https://user:pa55word@broker.example/api' },
      () => undefined,
    );
    const span = byName(await tracing.spans(), 'broker.api_call');
    expect(span.attributes['url.full']).toBe('https://user:[REDACTED]@broker.example/api');
  });

  it('uses a custom policy, and can be turned off', async () => {
    tracing = startTestTracing({ redaction: createRedactionPolicy({ keys: ['venue_session'] }) });
    orderExecution.run({}, () => trace.getActiveSpan()?.setAttribute('venue_session', 's-1'));
    expect(byName(await tracing.spans(), 'order.execution').attributes.venue_session).toBe('[REDACTED]');
    await tracing.close();

    tracing = startTestTracing({ redaction: false });
    orderExecution.run({}, () => trace.getActiveSpan()?.setAttribute('password', 'p'));
    expect(byName(await tracing.spans(), 'order.execution').attributes.password).toBe('p');
    await tracing.close();

    // Turning redaction off is a decision in code, not a setting: no variable does it.
    tracing = startTestTracing({ env: { JTS_TRACE_REDACTION: 'false' } });
    orderExecution.run({}, () => trace.getActiveSpan()?.setAttribute('password', 'p'));
    expect(byName(await tracing.spans(), 'order.execution').attributes.password).toBe('[REDACTED]');
  });
});
