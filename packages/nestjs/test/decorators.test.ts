import 'reflect-metadata';
import { Injectable, Module, SetMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Cron, ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correlationId, isJtsError } from '@jts/core';
import { JobContext, TraceOrder, TraceStrategy, Traced } from '@jts/nestjs';
import { type Signals, send, startSignals, until } from '../../http/test/support/signals.js';
import { ROLES, type RunningApp, startOrdersApp } from './support/orders-app.js';

let signals: Signals;
beforeAll(() => {
  signals = startSignals();
});
afterAll(() => signals?.close());

const Audited = (label: string) => SetMetadata('audited', label);
class Broker {
  constructor(readonly venue: string) {}
}

class OrderDesk {
  readonly desk = 'equities';

  @TraceOrder((order: { id: string; symbol: string }) => ({ orderId: order.id, symbol: order.symbol }))
  @Audited('below')
  async submit(order: { id: string; symbol: string }, broker: Broker): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return `${this.desk}:${order.id}@${broker.venue}:${correlationId()}`;
  }

  @Audited('above')
  @TraceStrategy({ strategyId: 'mean-reversion' })
  evaluate(signal: number): number {
    if (signal < 0) throw new RangeError('negative signal');
    return signal * 2;
  }

  @Traced('risk.check', () => {
    throw new Error('attribute function fails');
  })
  async check(limit: number): Promise<boolean> {
    if (limit > 100) throw new Error('limit breached');
    return true;
  }
}

describe('trading-operation decorators', () => {
  it('run each call as its operation, keeping the result, `this`, errors and the correlation ID', async () => {
    const desk = new OrderDesk();
    const result = await desk.submit({ id: 'o-77', symbol: 'MSFT' }, new Broker('XNAS'));
    expect(result).toMatch(/^equities:o-77@XNAS:[0-9a-f-]{36}$/);
    expect(desk.evaluate(21)).toBe(42);
    expect(() => desk.evaluate(-1)).toThrow(RangeError);
    await expect(desk.check(5)).resolves.toBe(true);
    await expect(desk.check(500)).rejects.toThrow('limit breached');
    const spans = await signals.spans();
    const order = spans.find(
      (span) => span.name === 'order.execution' && span.attributes['trading.order_id'] === 'o-77',
    );
    expect([order?.attributes['trading.symbol'], order?.attributes.correlation_id]).toEqual([
      'MSFT',
      result.split(':').at(-1),
    ]);
    const strategies = spans.filter(
      (span) => span.name === 'strategy.execution' && span.attributes['trading.strategy_id'] === 'mean-reversion',
    );
    expect(strategies.map((span) => [span.status.code, span.attributes['error.type']])).toEqual([
      [0, undefined],
      [2, 'RangeError'],
    ]);
    // A failing attribute function loses the fields, never the call.
    const checks = spans.filter((span) => span.name === 'risk.check');
    expect(checks.map((span) => span.status.code)).toEqual([0, 2]);
    expect(checks[1]!.events.find((event) => event.name === 'exception')?.attributes?.['exception.message']).toBe(
      'limit breached',
    );
    const orderLine = signals
      .lines()
      .find((line) => line['event.action'] === 'order.execution' && line['trading.order_id'] === 'o-77');
    expect([orderLine?.correlation_id, orderLine?.['trading.symbol']]).toEqual([result.split(':').at(-1), 'MSFT']);
  });

  it('keep Reflect metadata, the name and the parameter types in any decorator order', () => {
    const prototype = OrderDesk.prototype;
    expect([
      Reflect.getMetadata('audited', prototype.submit),
      Reflect.getMetadata('audited', prototype.evaluate),
    ]).toEqual(['below', 'above']);
    expect([prototype.submit.name, prototype.evaluate.name, prototype.check.name]).toEqual([
      'submit',
      'evaluate',
      'check',
    ]);
    expect(Reflect.getMetadata('design:paramtypes', prototype, 'submit')).toEqual([Object, Broker]);
  });

  it('let a guard see @Roles() metadata written above or below them, on a real route', async () => {
    let app: RunningApp | undefined;
    try {
      app = await startOrdersApp(
        'express',
        { logger: signals.logger, metrics: signals.metrics, tracing: signals.tracing },
        'roles',
      );
      const admin = { authorization: 'Bearer t', 'x-role': 'admin' };
      const trader = { authorization: 'Bearer t', 'x-role': 'trader' };
      const statuses = await Promise.all(
        ['cancel', 'amend'].flatMap((action) =>
          [admin, trader].map((headers) =>
            send(`${app!.url}/roles/orders/3/${action}`, { headers }).then((reply) => reply.status),
          ),
        ),
      );
      expect(statuses).toEqual([200, 403, 200, 403]);
      const strategies = (await signals.spans()).filter(
        (span) =>
          span.name === 'strategy.execution' &&
          ['cancel', 'amend'].includes(span.attributes['trading.strategy_id'] as string),
      );
      expect(strategies.map((span) => span.attributes['trading.strategy_id']).sort()).toEqual(['amend', 'cancel']);
    } finally {
      await app?.close();
    }
    expect(Reflect.getMetadata(ROLES, (await import('./support/orders-app.js')).OrderService.prototype.submit)).toEqual(
      ['trader'],
    );
  });

  it('reject an operation that is not a trading operation, at decoration', () => {
    for (const operation of ['http.server.request', 'order.exec']) {
      let thrown: unknown;
      try {
        Traced(operation as never);
      } catch (error) {
        thrown = error;
      }
      expect(isJtsError(thrown) && thrown.code).toBe('JTS_ERR_INVALID_ARGUMENT');
      expect((thrown as Error).message).toContain(operation);
    }
  });
});

describe('@JobContext()', () => {
  it('gives each run of a real @Cron job a correlation ID of its own, with @Cron above or below it', async () => {
    const runs: { job: string; correlationId: string | undefined }[] = [];
    @Injectable()
    class Reconciliation {
      @Cron('0 0 1 1 *', { name: 'above' })
      @JobContext()
      reconcile() {
        runs.push({ job: 'above', correlationId: correlationId() });
      }

      @JobContext()
      @Cron('0 0 1 1 *', { name: 'below' })
      async settle() {
        await new Promise((resolve) => setTimeout(resolve, 1));
        runs.push({ job: 'below', correlationId: correlationId() });
      }
    }
    @Module({ imports: [ScheduleModule.forRoot()], providers: [Reconciliation] })
    class JobsModule {}
    const app = await NestFactory.createApplicationContext(JobsModule, { logger: false });
    try {
      const registry = app.get(SchedulerRegistry);
      for (const name of ['above', 'below', 'above', 'below']) await registry.getCronJob(name).fireOnTick();
      await until(() => runs.length === 4, 'four job runs');
      expect(runs.map((run) => run.job).sort()).toEqual(['above', 'above', 'below', 'below']);
      const ids = runs.map((run) => run.correlationId);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(ids).size).toBe(4);
    } finally {
      await app.close();
    }
  });

  it("takes a queued job's correlation ID from its headers", async () => {
    class OrdersConsumer {
      @JobContext({ headers: (job: { data: { headers?: Record<string, string> } }) => job.data.headers })
      async process(job: { data: { orderId: string; headers?: Record<string, string> } }) {
        return `${job.data.orderId}:${correlationId()}`;
      }
    }
    const consumer = new OrdersConsumer();
    await expect(
      consumer.process({ data: { orderId: 'o-1', headers: { 'x-correlation-id': 'job-1' } } }),
    ).resolves.toBe('o-1:job-1');
    await expect(
      consumer.process({ data: { orderId: 'o-2', headers: { 'x-correlation-id': 'bad value' } } }),
    ).resolves.toMatch(/^o-2:[0-9a-f-]{36}$/);
  });
});
