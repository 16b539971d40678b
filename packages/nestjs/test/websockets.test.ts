/**
 * WebSocket gateways in an application with JtsModule. Nest applies global exception filters
 * (the module's fallback filter among them) to HTTP and to microservices that inherit the app
 * config, never to gateways: a gateway's errors keep Nest's own handling, an `exception` event to
 * the client, and are neither HTTP errors nor thrown back.
 */
import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { MessageBody, SubscribeMessage, WebSocketGateway, WsException } from '@nestjs/websockets';
import { correlationId } from '@jts/core';
import { JtsModule, type JtsModuleOptions } from '@jts/nestjs';
import type { AddressInfo } from 'node:net';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Signals, startSignals, until } from '../../http/test/support/signals.js';

let signals: Signals;
beforeAll(() => {
  signals = startSignals();
});
afterAll(() => signals?.close());

function gatewayModule(options: JtsModuleOptions) {
  @WebSocketGateway()
  class OrdersGateway {
    @SubscribeMessage('orders.submit')
    submit(@MessageBody() data: { id: string }) {
      return { event: 'orders.accepted', data: { id: data.id, inContext: correlationId() !== undefined } };
    }

    @SubscribeMessage('orders.reject')
    reject(): never {
      throw new WsException('symbol halted');
    }

    @SubscribeMessage('orders.crash')
    crash(): never {
      throw new Error('ledger down');
    }
  }

  @Module({ imports: [JtsModule.forRoot(options)], providers: [OrdersGateway] })
  class GatewayModule {}
  return GatewayModule;
}

/** A socket.io client that keeps every event it receives, in order. */
async function connect(port: number) {
  const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
  const received: { event: string; data: Record<string, unknown> }[] = [];
  socket.onAny((event: string, data: Record<string, unknown>) => received.push({ event, data }));
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', reject);
  });
  return {
    received,
    send: (event: string, data: object) => socket.emit(event, data),
    close: () => socket.close(),
  };
}

describe('a WebSocket gateway (socket.io) in an application with JtsModule', () => {
  it("answers a gateway's errors as Nest does (an exception event), keeps the connection, and records no HTTP error", async () => {
    const app: INestApplication = await NestFactory.create(
      gatewayModule({ logger: signals.logger, metrics: signals.metrics, tracing: signals.tracing }),
      new ExpressAdapter(),
      { logger: false },
    );
    app.useWebSocketAdapter(new IoAdapter(app));
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const linesBefore = signals.lines().length;
    const client = await connect(port);
    try {
      client.send('orders.reject', { id: 'ws-1' });
      client.send('orders.crash', { id: 'ws-2' });
      client.send('orders.submit', { id: 'ws-3' });
      await until(() => client.received.length === 3, 'three answers');
      // Each message is handled on its own: answers may arrive in any order.
      const answer = (event: string, message?: string) =>
        client.received.find(
          (item) => item.event === event && (message === undefined || item.data.message === message),
        );
      expect(answer('exception', 'symbol halted')?.data).toMatchObject({ status: 'error' });
      const crashed = answer('exception', 'Internal server error');
      expect(crashed?.data).toMatchObject({ status: 'error' });
      const accepted = answer('orders.accepted');
      // The error's own message never reaches the client.
      expect(JSON.stringify(crashed)).not.toContain('ledger down');
      expect(accepted).toEqual({ event: 'orders.accepted', data: { id: 'ws-3', inContext: false } });
      // A gateway message is not an HTTP request: no access line, no error line of ours.
      const lines = signals.lines().slice(linesBefore);
      expect(lines.filter((line) => line['event.action'] === 'http.server.request')).toEqual([]);
      expect(lines.filter((line) => JSON.stringify(line).includes('ledger down'))).toEqual([]);
    } finally {
      client.close();
      await app.close();
    }
  });
});
