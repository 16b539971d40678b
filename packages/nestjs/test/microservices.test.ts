import { ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, ServerKafka, Transport } from '@nestjs/microservices';
import { ExpressAdapter } from '@nestjs/platform-express';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messageContextHook } from '@jts/nestjs';
import { freePort } from '../../../test/support/prometheus.js';
import { type Signals, startSignals, until } from '../../http/test/support/signals.js';
import { type Seen, orderMessagesModule } from './support/order-messages.js';

let signals: Signals;
let seen: Seen;
beforeAll(() => {
  signals = startSignals();
});
afterAll(() => signals?.close());
beforeEach(() => {
  seen = { guard: new Map(), handler: new Map() };
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const signalOptions = () => ({ logger: signals.logger, metrics: signals.metrics, tracing: signals.tracing });

describe('microservice handlers run in the context of their message headers', () => {
  it('over the real TCP transport of a hybrid application: guard, handler and operations see the message correlation ID', async () => {
    const app = await NestFactory.create(orderMessagesModule(signalOptions(), seen), new ExpressAdapter(), {
      logger: false,
    });
    const port = await freePort();
    app.connectMicroservice({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
    await app.startAllMicroservices();
    await app.init();
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
    await client.connect();
    try {
      // TCP packets have no headers: the correlation ID travels in the payload's `headers`.
      const ids = Array.from({ length: 50 }, (_unused, index) => `tcp-${index}`);
      const replies = await Promise.all(
        ids.map((id) =>
          firstValueFrom(
            client.send<{ correlationId: string }>('orders.get', { id, headers: { 'x-correlation-id': id } }),
          ),
        ),
      );
      expect(replies.map((reply) => reply.correlationId)).toEqual(ids);
      expect(ids.map((id) => [seen.guard.get(id), seen.handler.get(id)])).toEqual(ids.map((id) => [id, id]));
      const orderLines = signals
        .lines()
        .filter(
          (line) => line['event.action'] === 'order.execution' && (line.correlation_id as string).startsWith('tcp-'),
        );
      expect(orderLines.map((line) => [line.correlation_id, line['trading.order_id']]).sort()).toEqual(
        ids.map((id) => [id, `o-${id}`]).sort(),
      );

      // No header, or a hostile one: a new correlation ID per message, never the hostile value.
      const [bare, hostile] = await Promise.all([
        firstValueFrom(client.send<{ correlationId: string }>('orders.get', { id: 'no-headers' })),
        firstValueFrom(
          client.send<{ correlationId: string }>('orders.get', {
            id: 'hostile',
            headers: { 'x-correlation-id': 'evil\r\nvalue' },
          }),
        ),
      ]);
      expect([bare.correlationId, hostile.correlationId]).toEqual([
        expect.stringMatching(UUID),
        expect.stringMatching(UUID),
      ]);
      expect(bare.correlationId).not.toBe(hostile.correlationId);

      // Events too.
      client.emit('orders.created', { id: 'evt-1', headers: { 'x-correlation-id': 'evt-1' } });
      await until(() => seen.handler.has('evt-1'), 'the event handler');
      expect([seen.guard.get('evt-1'), seen.handler.get('evt-1')]).toEqual(['evt-1', 'evt-1']);
    } finally {
      await client.close();
      await app.close();
    }
  });

  it("keeps Nest's RPC error answer where the microservice shares the application's filters (inheritAppConfig)", async () => {
    const app = await NestFactory.create(orderMessagesModule(signalOptions(), seen), new ExpressAdapter(), {
      logger: false,
    });
    const port = await freePort();
    app.connectMicroservice(
      { transport: Transport.TCP, options: { host: '127.0.0.1', port } },
      { inheritAppConfig: true },
    );
    await app.startAllMicroservices();
    await app.init();
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
    try {
      const failure = await firstValueFrom(
        client.send('orders.fail', { id: 'rpc-fail', headers: { 'x-correlation-id': 'rpc-fail' } }),
      ).catch((error: unknown) => error);
      expect(failure).toEqual({ status: 'error', message: 'Internal server error' });
      expect(seen.guard.get('rpc-fail')).toBe('rpc-fail');
    } finally {
      await client.close();
      await app.close();
    }
  });

  it('for Kafka, driving the real ServerKafka with kafkajs message payloads (no broker here); `around` continues the trace', async () => {
    const server = new ServerKafka({ client: { brokers: ['127.0.0.1:9'] }, consumer: { groupId: 'orders' } });
    const around = <R>(headers: object | undefined, handle: () => R): R =>
      context.with(propagation.extract(ROOT_CONTEXT, headers ?? {}), handle);
    const microservice = await NestFactory.createMicroservice(
      orderMessagesModule({ ...signalOptions(), microservices: { around } }, seen),
      { strategy: server, logger: false },
    );
    // init() registers the handlers without connecting to a broker.
    await microservice.init();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const message = (id: string, headers: Record<string, Buffer>) => ({
      topic: 'orders.created',
      partition: 0,
      message: {
        key: null,
        value: Buffer.from(JSON.stringify({ id })),
        headers,
        offset: '0',
        timestamp: String(Date.now()),
        attributes: 0,
        size: 0,
      },
      heartbeat: async () => {},
      pause: () => () => {},
    });
    await server.handleMessage(
      message('k-1', {
        'x-correlation-id': Buffer.from('kafka-1'),
        traceparent: Buffer.from(`00-${traceId}-00f067aa0ba902b7-01`),
      }) as never,
    );
    // Producers may write header names in any case.
    await server.handleMessage(message('k-2', { 'X-Correlation-ID': Buffer.from('kafka-2') }) as never);
    await server.handleMessage(message('k-3', {}) as never);
    expect([seen.guard.get('k-1'), seen.handler.get('k-1'), seen.handler.get('k-2')]).toEqual([
      'kafka-1',
      'kafka-1',
      'kafka-2',
    ]);
    expect(seen.handler.get('k-3')).toMatch(UUID);
    const span = (await signals.spans()).find(
      (candidate) => candidate.name === 'order.execution' && candidate.attributes.correlation_id === 'kafka-1',
    );
    expect([span!.spanContext().traceId, span!.parentSpanContext?.spanId]).toEqual([traceId, '00f067aa0ba902b7']);
    await microservice.close();
  });

  it('on NestJS 12, messageContextHook() is a pre-request hook doing the same for a microservice without the module', async (test) => {
    const port = await freePort();
    const probe = await NestFactory.createMicroservice(orderMessagesModule({ microservices: false }, seen), {
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port },
      logger: false,
    });
    const hooks = probe as unknown as { registerPreRequestHook?: (hook: unknown) => unknown };
    if (typeof hooks.registerPreRequestHook !== 'function') {
      await probe.close();
      test.skip('NestJS 10 and 11 have no pre-request hooks (JtsModule wraps the servers there)');
      return;
    }
    hooks.registerPreRequestHook(messageContextHook());
    await probe.listen();
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
    try {
      const reply = await firstValueFrom(
        client.send<{ correlationId: string }>('orders.get', {
          id: 'hooked',
          headers: { 'x-correlation-id': 'hook-1' },
        }),
      );
      expect([reply.correlationId, seen.guard.get('hooked')]).toEqual(['hook-1', 'hook-1']);
    } finally {
      await client.close();
      await probe.close();
    }
  });

  it('leaves handlers alone with microservices: false', async () => {
    const port = await freePort();
    const microservice = await NestFactory.createMicroservice(orderMessagesModule({ microservices: false }, seen), {
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port },
      logger: false,
    });
    await microservice.listen();
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
    try {
      const reply = await firstValueFrom(
        client.send<{ correlationId?: string }>('orders.get', {
          id: 'plain',
          headers: { 'x-correlation-id': 'ignored-1' },
        }),
      );
      expect(reply.correlationId).not.toBe('ignored-1');
      expect(seen.guard.get('plain')).toBeUndefined();
    } finally {
      await client.close();
      await microservice.close();
    }
  });
});
