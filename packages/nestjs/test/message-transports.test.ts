/**
 * The message context on the transports whose headers live somewhere other than Kafka's and
 * TCP's: gRPC over a real loopback connection (metadata), and NATS, RabbitMQ and MQTT 5 through
 * their real Nest servers (`ServerNats`, `ServerRMQ`, `ServerMqtt`) driven with messages shaped
 * by their client libraries, since no broker runs here.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { NestFactory } from '@nestjs/core';
import { ServerMqtt, ServerNats, ServerRMQ, Transport } from '@nestjs/microservices';
import type { IPublishPacket } from 'mqtt';
import { headers as natsHeaders } from 'nats';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/prometheus.js';
import { type Signals, startSignals, until } from '../../http/test/support/signals.js';
import { ORDERS_PROTO, orderGrpcModule } from './support/order-grpc.js';
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
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const orderLine = (id: string) =>
  signals.lines().find((line) => line['event.action'] === 'order.execution' && line['trading.order_id'] === `o-${id}`);

/** What guard, handler and the handler's `@TraceOrder` operation saw for each message id. */
const observed = (ids: readonly string[]) =>
  ids.map((id) => [seen.guard.get(id), seen.handler.get(id), orderLine(id)?.correlation_id]);

describe('gRPC: the call metadata, over a real loopback connection', () => {
  it('runs guard, handler and operations in the correlation ID of the metadata; absent or hostile gives a new one', async () => {
    const port = await freePort();
    const microservice = await NestFactory.createMicroservice(orderGrpcModule(signalOptions(), seen), {
      transport: Transport.GRPC,
      options: { package: 'jts.orders', protoPath: ORDERS_PROTO, url: `127.0.0.1:${port}` },
      logger: false,
    });
    await microservice.listen();
    const definition = grpc.loadPackageDefinition(protoLoader.loadSync(ORDERS_PROTO)) as unknown as {
      jts: { orders: { Orders: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client } };
    };
    const client = new definition.jts.orders.Orders(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    ) as grpc.Client & {
      Submit(
        request: { id: string },
        metadata: grpc.Metadata,
        done: (error: grpc.ServiceError | null, reply: { id: string; correlationId: string }) => void,
      ): void;
    };
    const submit = (id: string, values: Record<string, string>) => {
      const metadata = new grpc.Metadata();
      for (const [key, value] of Object.entries(values)) metadata.set(key, value);
      return new Promise<{ id: string; correlationId: string }>((resolve, reject) =>
        client.Submit({ id }, metadata, (error, reply) => (error ? reject(error) : resolve(reply))),
      );
    };
    try {
      const ids = Array.from({ length: 20 }, (_unused, index) => `grpc-${index}`);
      const replies = await Promise.all(ids.map((id) => submit(id, { 'x-correlation-id': id })));
      expect(replies.map((reply) => reply.correlationId)).toEqual(ids);
      expect(observed(ids)).toEqual(ids.map((id) => [id, id, id]));

      // gRPC metadata keys are lower case on the wire, whatever case the client wrote.
      await submit('grpc-case', { 'X-Correlation-ID': 'grpc-upper' });
      expect(seen.handler.get('grpc-case')).toBe('grpc-upper');

      // A value with CR/LF cannot be sent as metadata at all; a malformed one is replaced.
      const [bare, hostile] = await Promise.all([
        submit('grpc-bare', {}),
        submit('grpc-hostile', { 'x-correlation-id': 'bad id with spaces and {braces}' }),
      ]);
      expect(bare.correlationId).toMatch(UUID);
      expect(hostile.correlationId).toMatch(UUID);
      expect(new Set([bare.correlationId, hostile.correlationId]).size).toBe(2);
      expect(seen.guard.get('grpc-hostile')).toBe(hostile.correlationId);
    } finally {
      client.close();
      await microservice.close();
    }
  });
});

describe('NATS, RabbitMQ and MQTT 5: the real Nest servers, driven with their client libraries message shapes', () => {
  it('NATS: NatsContext.getHeaders() (nats.js MsgHdrs) for events and for requests answered through msg.respond', async () => {
    const server = new ServerNats({ servers: ['nats://127.0.0.1:9'] });
    const microservice = await NestFactory.createMicroservice(orderMessagesModule(signalOptions(), seen), {
      strategy: server,
      logger: false,
    });
    // init() registers the handlers without connecting to a server.
    await microservice.init();
    const message = (subject: string, packet: object, headerValues: Record<string, string>, reply?: string) => {
      const headers = natsHeaders();
      for (const [key, value] of Object.entries(headerValues)) headers.set(key, value);
      const data = json(packet);
      const answers: unknown[] = [];
      return {
        answers,
        // nats.js 2 (NestJS 10, 11) hands `data` to a JSON codec; @nats-io 3 (NestJS 12) calls json().
        msg: {
          subject,
          data,
          reply,
          headers,
          json: () => JSON.parse(new TextDecoder().decode(data)),
          respond: (payload: Uint8Array | string) => {
            answers.push(JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload)));
            return true;
          },
        },
      };
    };
    const handle = (msg: object) =>
      (server as unknown as { handleMessage(channel: string, msg: object): Promise<unknown> }).handleMessage(
        (msg as { subject: string }).subject,
        msg,
      );
    await handle(
      message('orders.created', { pattern: 'orders.created', data: { id: 'nats-e' } }, { 'x-correlation-id': 'nats-1' })
        .msg,
    );
    await handle(
      message(
        'orders.created',
        { pattern: 'orders.created', data: { id: 'nats-h' } },
        { 'x-correlation-id': 'bad id with spaces and {braces}' },
      ).msg,
    );
    const request = message(
      'orders.get',
      { pattern: 'orders.get', data: { id: 'nats-r' }, id: 'req-1' },
      { 'x-correlation-id': 'nats-2' },
      '_INBOX.reply',
    );
    await handle(request.msg);
    await until(() => request.answers.length === 1, 'the NATS reply');
    expect(observed(['nats-e', 'nats-r'])).toEqual([
      ['nats-1', 'nats-1', 'nats-1'],
      ['nats-2', 'nats-2', 'nats-2'],
    ]);
    expect(request.answers[0]).toMatchObject({ id: 'req-1', response: { id: 'nats-r', correlationId: 'nats-2' } });
    expect(seen.handler.get('nats-h')).toMatch(UUID);
    await microservice.close();
  });

  it('RabbitMQ: RmqContext.getMessage().properties.headers (an amqplib ConsumeMessage)', async () => {
    const server = new ServerRMQ({ urls: ['amqp://127.0.0.1:9'], queue: 'orders', noAck: true });
    const microservice = await NestFactory.createMicroservice(orderMessagesModule(signalOptions(), seen), {
      strategy: server,
      logger: false,
    });
    await microservice.init();
    // amqplib's ConsumeMessage: content, fields, properties (headers are AMQP table values).
    const consumed = (id: string, headers: Record<string, unknown> | undefined) => ({
      content: Buffer.from(JSON.stringify({ pattern: 'orders.created', data: { id } })),
      fields: { deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'orders', consumerTag: 'amq.ctag-1' },
      properties: {
        contentType: undefined,
        contentEncoding: undefined,
        headers,
        deliveryMode: undefined,
        priority: undefined,
        correlationId: undefined,
        replyTo: undefined,
        expiration: undefined,
        messageId: undefined,
        timestamp: undefined,
        type: undefined,
        userId: undefined,
        appId: undefined,
        clusterId: undefined,
      },
    });
    const handle = (message: object) =>
      (server as unknown as { handleMessage(message: object, channel: unknown): Promise<unknown> }).handleMessage(
        message,
        undefined,
      );
    await handle(consumed('rmq-1', { 'x-correlation-id': 'rmq-corr-1' }));
    // RabbitMQ delivers a header published as bytes as a Buffer.
    await handle(consumed('rmq-2', { 'x-correlation-id': Buffer.from('rmq-corr-2') }));
    await handle(consumed('rmq-3', undefined));
    await until(() => orderLine('rmq-3') !== undefined, 'the third RabbitMQ message');
    expect(observed(['rmq-1', 'rmq-2'])).toEqual([
      ['rmq-corr-1', 'rmq-corr-1', 'rmq-corr-1'],
      ['rmq-corr-2', 'rmq-corr-2', 'rmq-corr-2'],
    ]);
    expect(seen.handler.get('rmq-3')).toMatch(UUID);
    await microservice.close();
  });

  it('MQTT 5: the publish packet user properties', async () => {
    const server = new ServerMqtt({ url: 'mqtt://127.0.0.1:9' });
    const microservice = await NestFactory.createMicroservice(orderMessagesModule(signalOptions(), seen), {
      strategy: server,
      logger: false,
    });
    await microservice.init();
    const publish = (id: string, userProperties?: Record<string, string | string[]>) => {
      const payload = Buffer.from(JSON.stringify({ pattern: 'orders.created', data: { id } }));
      const packet: IPublishPacket = {
        cmd: 'publish',
        topic: 'orders.created',
        payload,
        qos: 0,
        dup: false,
        retain: false,
        ...(userProperties !== undefined && { properties: { userProperties } }),
      };
      return (
        server as unknown as {
          handleMessage(channel: string, buffer: Buffer, pub: unknown, packet: IPublishPacket): Promise<unknown>;
        }
      ).handleMessage('orders.created', payload, undefined, packet);
    };
    await publish('mqtt-1', { 'x-correlation-id': 'mqtt-corr-1' });
    // A user property given twice arrives as an array: the first value counts.
    await publish('mqtt-2', { 'x-correlation-id': ['mqtt-corr-2', 'mqtt-other'] });
    // MQTT 3.1.1 packets have no properties: a new correlation ID.
    await publish('mqtt-3');
    await until(() => orderLine('mqtt-3') !== undefined, 'the third MQTT message');
    expect(observed(['mqtt-1', 'mqtt-2'])).toEqual([
      ['mqtt-corr-1', 'mqtt-corr-1', 'mqtt-corr-1'],
      ['mqtt-corr-2', 'mqtt-corr-2', 'mqtt-corr-2'],
    ]);
    expect(seen.handler.get('mqtt-3')).toMatch(UUID);
    await microservice.close();
  });
});
