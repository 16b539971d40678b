import diagnosticsChannel from 'node:diagnostics_channel';
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OPERATION_NAMES,
  correlationId,
  currentContext,
  defineOperation,
  operations,
  orderExecution,
  runWithContext,
  type OperationMessage,
} from '@jts/core';

type Event = [string, OperationMessage];

function record(operation = orderExecution) {
  const events: Event[] = [];
  const handlers = {
    start: (message: unknown) => events.push(['start', message as OperationMessage]),
    end: (message: unknown) => events.push(['end', message as OperationMessage]),
    asyncStart: (message: unknown) => events.push(['asyncStart', message as OperationMessage]),
    asyncEnd: (message: unknown) => events.push(['asyncEnd', message as OperationMessage]),
    error: (message: unknown) => events.push(['error', message as OperationMessage]),
  };
  operation.channel.subscribe(handlers as never);
  cleanups.push(() => operation.channel.unsubscribe(handlers as never));
  return events;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const names = (events: Event[]) => events.map(([name]) => name);
const order = { orderId: 'o-1', strategyId: 'mm-1', symbol: 'AAPL', side: 'buy', orderType: 'limit', exchange: 'XNAS' };

describe('operation channels', () => {
  it('defines the six operations on jts:<name> tracing channels', () => {
    expect(OPERATION_NAMES).toEqual([
      'order.execution',
      'strategy.execution',
      'market_data.processing',
      'broker.api_call',
      'risk.check',
      'http.server.request',
    ]);
    for (const name of OPERATION_NAMES) {
      expect(operations[name].channelName).toBe(`jts:${name}`);
      expect(operations[name].channel.start).toBe(diagnosticsChannel.channel(`tracing:jts:${name}:start`));
    }
  });

  it('sync success: start, end with the same message, result and status', () => {
    const events = record();
    const result = runWithContext({ correlationId: 'c-sync' }, () => orderExecution.run(order, () => 'ack'));
    expect(result).toBe('ack');
    expect(names(events)).toEqual(['start', 'end']);
    const [[, first], [, last]] = events as [Event, Event];
    expect(first).toBe(last);
    expect(last).toMatchObject({
      operation: 'order.execution',
      status: 'success',
      result: 'ack',
      async: false,
      attributes: order,
    });
    expect(last.context.correlationId).toBe('c-sync');
    expect(last.context.attributes['trading.order_id']).toBe('o-1');
  });

  it('sync throw: start, error, end; the error reaches the caller unchanged', () => {
    const events = record();
    const failure = new RangeError('price out of band');
    expect(() =>
      orderExecution.run(order, () => {
        throw failure;
      }),
    ).toThrow(failure);
    expect(names(events)).toEqual(['start', 'error', 'end']);
    expect(events[1]![1]).toMatchObject({ status: 'error', errorType: 'RangeError', error: failure, async: false });
  });

  it('async success: start, end, asyncStart, asyncEnd', async () => {
    const events = record();
    const promise = orderExecution.run(order, async () => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return { filled: 10 };
    });
    expect(names(events)).toEqual(['start', 'end']);
    expect(events[1]![1].async).toBe(true);
    await expect(promise).resolves.toEqual({ filled: 10 });
    expect(names(events)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(events[3]![1]).toMatchObject({ status: 'success', result: { filled: 10 } });
  });

  it('async rejection: start, end, error, asyncStart, asyncEnd; error code becomes the error type', async () => {
    const events = record();
    const failure = Object.assign(new Error('broker timeout'), { code: 'ETIMEDOUT' });
    await expect(orderExecution.run(order, async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(names(events)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(events[4]![1]).toMatchObject({ status: 'error', errorType: 'ETIMEDOUT', error: failure });
  });

  it('lets fn set the outcome without throwing', async () => {
    const events = record();
    await orderExecution.run(order, async (scope) => {
      scope.setOutcome('rejected', 'insufficient_margin');
      return 'rejected';
    });
    expect(events.at(-1)![1]).toMatchObject({ status: 'rejected', errorType: 'insufficient_margin' });
  });

  it('runs fn inside a child context with the attributes, with and without subscribers', async () => {
    const observe = () =>
      runWithContext({ correlationId: 'parent-1', strategyId: 'arb' }, () =>
        orderExecution.run(order, async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return [correlationId(), currentContext()?.fields];
        }),
      );
    const expected = ['parent-1', { ...order, strategyId: 'mm-1' }];
    expect(await observe()).toEqual(expected);
    record();
    expect(await observe()).toEqual(expected);
  });

  it('runs bound stores (bindStore) around fn, as tracing subscribers need', () => {
    const store = new AsyncLocalStorage<string>();
    const operation = defineOperation('risk.check');
    operation.channel.start.bindStore(
      store,
      (message) => `span-for-${(message as OperationMessage).context.correlationId}`,
    );
    cleanups.push(() => operation.channel.start.unbindStore(store));
    expect(operation.hasSubscribers).toBe(true);
    const seen = runWithContext({ correlationId: 'c-store' }, () => operation.run({}, () => store.getStore()));
    expect(seen).toBe('span-for-c-store');
  });

  it('reports no subscribers when nobody listens, and the plain path returns fn results', () => {
    const operation = defineOperation('market_data.processing');
    expect(operation.hasSubscribers).toBe(false);
    expect(operation.run({ symbol: 'EURUSD' }, () => currentContext()?.fields.symbol)).toBe('EURUSD');
  });

  it('returns a non-Promise thenable untouched, never calling its then, and ends the run at return', () => {
    const events = record();
    let thenCalls = 0;
    // A lazy query builder: calling `then` would run it.
    const thenable = Object.fromEntries([['then', (resolve: (value: number) => void) => resolve(++thenCalls)]]);
    expect(orderExecution.run(order, () => thenable)).toBe(thenable);
    expect(thenCalls).toBe(0);
    expect(names(events)).toEqual(['start', 'end']);
    expect(events[1]![1]).toMatchObject({ async: false, status: 'success' });
  });

  it('returns a promise that settles like the one fn returned, of the same class', async () => {
    record();
    class TaggedPromise<T> extends Promise<T> {}
    const returned = orderExecution.run(order, () => TaggedPromise.resolve(5));
    expect(returned).toBeInstanceOf(TaggedPromise);
    await expect(returned).resolves.toBe(5);
  });

  it('a throwing subscriber does not change the result seen by the caller', () => {
    const bad = () => {
      throw new Error('subscriber bug');
    };
    // diagnostics_channel reports subscriber errors on process 'uncaughtException' asynchronously; catch it here.
    const caught: unknown[] = [];
    const onUncaught = (error: unknown) => caught.push(error);
    process.prependListener('uncaughtException', onUncaught);
    orderExecution.channel.start.subscribe(bad);
    try {
      expect(orderExecution.run(order, () => 'still-ok')).toBe('still-ok');
    } finally {
      orderExecution.channel.start.unsubscribe(bad);
    }
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        process.removeListener('uncaughtException', onUncaught);
        expect(caught).toHaveLength(1);
        resolve();
      }),
    );
  });
});
