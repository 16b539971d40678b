import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  type FinishedRun,
  OUTCOME_SIGNALS,
  type OperationMessage,
  type RunVerdict,
  contextWithSlot,
  currentContext,
  httpOutcomeOf,
  httpServerRequest,
  normalizeOutcome,
  onDiagnostic,
  orderExecution,
  outcomeClassOf,
  reportDiagnostic,
  riskCheck,
  runSubscriberStats,
  runWithContext,
  subscribeRuns,
} from '@jts/core';
import { endWithTurn, publishEndedRuns } from '@jts/core/internal';
import { addRunHook } from '../src/run-hooks.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Subscribes like a signal does and keeps every finished run with a copy of its verdict. */
function finished(operations: Parameters<typeof subscribeRuns>[0]['operations'] = ['order.execution']) {
  const runs: { message: FinishedRun; verdict: RunVerdict }[] = [];
  cleanups.push(
    subscribeRuns({
      source: 'test',
      operations,
      finish: (message) => runs.push({ message, verdict: { ...message.verdict } }),
    }),
  );
  return runs;
}

const order = { orderId: 'o-1', strategyId: 'mm-1', symbol: 'AAPL', side: 'buy', orderType: 'limit', exchange: 'XNAS' };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the verdict: computed once, in core', () => {
  it('gives every subscriber the same verdict object, once, for sync and async runs', async () => {
    const first = finished();
    const second = finished();
    orderExecution.run(order, () => 'sync');
    await orderExecution.run(order, async () => {
      await tick();
      return 'async';
    });
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    for (const index of [0, 1]) {
      expect(first[index]!.message).toBe(second[index]!.message);
      expect(first[index]!.message.verdict).toBe(second[index]!.message.verdict);
      expect(first[index]!.verdict).toMatchObject({
        outcome: 'success',
        outcomeClass: 'success',
        errorType: undefined,
        reason: undefined,
        error: undefined,
      });
      expect(first[index]!.verdict.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(first[1]!.verdict.durationMs).toBeGreaterThan(0);
  });

  it('classifies throws, rejections, business outcomes and timeouts', async () => {
    const runs = finished();
    expect(() =>
      orderExecution.run(order, () => {
        throw new RangeError('price out of band');
      }),
    ).toThrow(RangeError);
    await expect(
      orderExecution.run(order, async () => Promise.reject(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))),
    ).rejects.toThrow();
    orderExecution.run(order, (scope) => scope.setOutcome('rejected', 'insufficient_margin'));
    orderExecution.run(order, (scope) => scope.setOutcome('Partially Filled'));
    orderExecution.run(order, (scope) => scope.setOutcome('timeout'));
    orderExecution.run(order, (scope) => scope.setOutcome('failure', 'venue_down'));
    orderExecution.run(order, (scope) => scope.recordError(new TypeError('handled, still a failure')));
    expect(
      runs.map(({ verdict }) => [verdict.outcome, verdict.outcomeClass, verdict.errorType, verdict.reason]),
    ).toEqual([
      ['error', 'error', 'RangeError', undefined],
      ['error', 'error', 'ETIMEDOUT', undefined],
      ['rejected', 'business', undefined, 'insufficient_margin'],
      ['partially_filled', 'business', undefined, undefined],
      ['timeout', 'error', 'timeout', undefined],
      ['error', 'error', 'venue_down', undefined],
      ['error', 'error', 'TypeError', undefined],
    ]);
    expect(runs[0]!.verdict.error).toBeInstanceOf(RangeError);
  });

  it('maps each class to one set of signals', () => {
    expect(OUTCOME_SIGNALS.success).toEqual({
      logLevel: 'info',
      eventOutcome: 'success',
      spanStatus: 'unset',
      countsAsError: false,
    });
    expect(OUTCOME_SIGNALS.business).toEqual({
      logLevel: 'warn',
      eventOutcome: 'failure',
      spanStatus: 'unset',
      countsAsError: false,
    });
    expect(OUTCOME_SIGNALS.error).toEqual({
      logLevel: 'error',
      eventOutcome: 'failure',
      spanStatus: 'error',
      countsAsError: true,
    });
    expect(
      ['success', 'rejected', 'aborted', 'client_error', 'error', 'timeout', 'server_error'].map(outcomeClassOf),
    ).toEqual(['success', 'business', 'business', 'business', 'error', 'error', 'error']);
  });

  it('normalises outcomes into bounded, label-safe words', () => {
    expect(normalizeOutcome('rejected')).toBe('rejected');
    expect(normalizeOutcome('failure')).toBe('error');
    expect(normalizeOutcome('Cancelled By User!')).toBe('cancelled_by_user');
    expect(normalizeOutcome('x'.repeat(500))).toHaveLength(32);
    expect(normalizeOutcome('{}"\n')).toBe('other');
    expect(normalizeOutcome('')).toBeUndefined();
    expect(normalizeOutcome(42)).toBeUndefined();
  });

  it('freezes the verdict once decided: late setOutcome, setAttributes and recordError change nothing', async () => {
    const runs = finished();
    let kept: Parameters<Parameters<typeof orderExecution.run>[1]>[0] | undefined;
    orderExecution.run(order, (scope) => {
      kept = scope;
    });
    kept!.setOutcome('rejected');
    kept!.recordError(new Error('late'));
    expect(runs[0]!.message.verdict).toMatchObject({ outcome: 'success', error: undefined });
  });
});

describe('HTTP requests: outcome from the status the client saw', () => {
  it('derives success, client_error and server_error from statusCode set while running, unless the adapter set one', () => {
    const runs = finished(['http.server.request']);
    for (const statusCode of [200, 302, 404, 503]) {
      httpServerRequest.run({ method: 'GET', route: '/orders/:id' }, (scope) => scope.setAttributes({ statusCode }));
    }
    httpServerRequest.run({ method: 'GET' }, (scope) => {
      scope.setAttributes({ statusCode: 200 });
      scope.setOutcome('aborted');
    });
    expect(runs.map(({ verdict }) => verdict.outcome)).toEqual([
      'success',
      'success',
      'client_error',
      'server_error',
      'aborted',
    ]);
    expect([200, 404, 500].map(httpOutcomeOf)).toEqual(['success', 'client_error', 'server_error']);
  });

  it('keeps start attributes as given and reads late ones through attribute()', () => {
    const runs = finished(['http.server.request']);
    const given = { method: 'GET', url: '/orders/7' };
    httpServerRequest.run(given, (scope) => scope.setAttributes({ route: '/orders/:id', statusCode: 200 }));
    const message = runs[0]!.message as OperationMessage;
    expect(message.attributes).toBe(given);
    expect(given).toEqual({ method: 'GET', url: '/orders/7' });
    expect([message.attribute('route'), message.attribute('statusCode'), message.attribute('method')]).toEqual([
      '/orders/:id',
      200,
      'GET',
    ]);
  });

  it('merges later setAttributes calls, and keeps an own __proto__ key from parsed JSON as a plain attribute', () => {
    const runs = finished(['http.server.request']);
    const hostile = JSON.parse('{"__proto__": {"url": "/planted"}}') as object;
    const update = (scope: { setAttributes(attributes: object): void }) => {
      scope.setAttributes(hostile);
      scope.setAttributes({ route: '/orders/:id' });
      scope.setAttributes({ statusCode: 404, responseBytes: 12 });
      scope.setAttributes({ statusCode: 200 });
    };
    // Observed (a signal listens to http.server.request) and unobserved (nothing listens to risk.check).
    httpServerRequest.run({ method: 'GET' }, update);
    let unobserved: OperationMessage | undefined;
    riskCheck.run({ symbol: 'AAPL' }, (scope) => {
      update(scope);
      unobserved = scope.message as OperationMessage;
    });
    for (const message of [runs[0]!.message as OperationMessage, unobserved!]) {
      expect(Object.getPrototypeOf(message.updates)).toBeNull();
      expect(Object.hasOwn(message.updates!, '__proto__')).toBe(true);
      expect([
        message.attribute('route'),
        message.attribute('statusCode'),
        message.attribute('responseBytes'),
        message.attribute('url'),
      ]).toEqual(['/orders/:id', 200, 12, undefined]);
    }
    expect(runs[0]!.verdict.outcome).toBe('success');
  });
});

describe('start(): runs that end when told', () => {
  it('ends at end(), publishing its last events in the context bound at start', async () => {
    const store = new AsyncLocalStorage<string>();
    const events: string[] = [];
    const channel = httpServerRequest.channel;
    channel.start.bindStore(store, () => 'bound-at-start');
    const handlers = {
      start: () => events.push('start'),
      end: () => events.push('end'),
      asyncStart: () => events.push('asyncStart'),
      asyncEnd: () => events.push(`asyncEnd:${store.getStore()}`),
      error: () => events.push('error'),
    };
    channel.subscribe(handlers);
    cleanups.push(() => {
      channel.unsubscribe(handlers);
      channel.start.unbindStore(store);
    });
    let end = () => {};
    const returned = httpServerRequest.start({ method: 'GET' }, (scope) => {
      end = () => {
        scope.setAttributes({ statusCode: 201 });
        scope.end();
        scope.end();
      };
      return 'handler-returned';
    });
    expect(returned).toBe('handler-returned');
    expect(events).toEqual(['start', 'end']);
    // Ended from an unrelated context, as a response's 'close' listener would be.
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        end();
        resolve();
      }, 1),
    );
    expect(events).toEqual(['start', 'end', 'asyncStart', 'asyncEnd:bound-at-start']);
  });

  it('ends a run ended before fn returned right after end, and a throwing fn at once', () => {
    const runs = finished(['risk.check']);
    riskCheck.start({ strategyId: 's' }, (scope) => scope.end());
    expect(runs).toHaveLength(1);
    expect(runs[0]!.message.async).toBe(true);
    expect(() =>
      riskCheck.start({ strategyId: 's' }, () => {
        throw new Error('limits unavailable');
      }),
    ).toThrow('limits unavailable');
    expect(runs).toHaveLength(2);
    expect(runs[1]!.verdict).toMatchObject({ outcome: 'error', errorType: 'Error' });
  });

  it('runs fn in the run context with no subscriber, and end() is harmless', () => {
    const seen = runWithContext({ correlationId: 'c-plain' }, () =>
      riskCheck.start({ strategyId: 'plain' }, (scope) => {
        scope.end();
        return [currentContext()?.correlationId, currentContext()?.fields.strategyId, scope.ended];
      }),
    );
    expect(seen).toEqual(['c-plain', 'plain', true]);
  });
});

describe('endWithTurn(): the requests a turn ends reach the signals together, at its end', () => {
  const turnEnd = () => new Promise<void>((resolve) => setImmediate(resolve));

  it("decides each verdict when the run ends and publishes the turn's runs in order at its check phase, each in its own context", async () => {
    const store = new AsyncLocalStorage<string>();
    const channel = httpServerRequest.channel;
    channel.start.bindStore(store, (message) => `bound:${(message as OperationMessage).attributes.method}`);
    const published: string[] = [];
    const asyncEnd = (message: unknown) =>
      published.push(`channel:${(message as OperationMessage).attributes.method}:${store.getStore()}`);
    channel.asyncEnd.subscribe(asyncEnd);
    cleanups.push(() => {
      channel.asyncEnd.unsubscribe(asyncEnd);
      channel.start.unbindStore(store);
    });
    cleanups.push(
      subscribeRuns({
        source: 'test',
        operations: ['http.server.request'],
        finish: (message) => published.push(`finish:${message.attributes.method}:${currentContext()?.correlationId}`),
      }),
    );
    const scopes = ['GET', 'PUT', 'POST'].map((method, index) =>
      runWithContext({ correlationId: `c-${index}` }, () => httpServerRequest.start({ method }, (scope) => scope)),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (const [index, scope] of scopes.entries()) {
      scope.setAttributes({ statusCode: index === 1 ? 503 : 200 });
      endWithTurn(scope);
      // Ended and decided now: nothing set later changes the verdict.
      expect(scope.ended).toBe(true);
      scope.setAttributes({ statusCode: 404 });
      scope.setOutcome('aborted');
    }
    const verdicts = scopes.map((scope) => scope.message.verdict);
    expect(verdicts.map((verdict) => verdict?.outcome)).toEqual(['success', 'server_error', 'success']);
    for (const verdict of verdicts) expect(verdict!.durationMs).toBeGreaterThanOrEqual(4);
    // Work later in the same turn delays the publication, not the durations.
    const durations = verdicts.map((verdict) => verdict!.durationMs);
    const busyUntil = performance.now() + 5;
    while (performance.now() < busyUntil) {
      // The rest of the turn's work.
    }
    expect(published).toEqual([]);
    await turnEnd();
    expect(published).toEqual([
      'finish:GET:c-0',
      'channel:GET:bound:GET',
      'finish:PUT:c-1',
      'channel:PUT:bound:PUT',
      'finish:POST:c-2',
      'channel:POST:bound:POST',
    ]);
    expect(scopes.map((scope) => scope.message.verdict!.durationMs)).toEqual(durations);
  });

  it('publishes at once on publishEndedRuns() (what a flush, a scrape and the exit flush call), and only once', async () => {
    const runs = finished(['http.server.request']);
    const scope = httpServerRequest.start({ method: 'GET' }, (given) => given);
    endWithTurn(scope);
    endWithTurn(scope);
    scope.end();
    expect(runs).toHaveLength(0);
    publishEndedRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.verdict.outcome).toBe('success');
    publishEndedRuns();
    await turnEnd();
    expect(runs).toHaveLength(1);
  });

  it("publishes the rest of a turn when one run's publication throws, and reports it", () => {
    const reported: string[] = [];
    cleanups.push(onDiagnostic((diagnostic) => reported.push(`${diagnostic.source}:${diagnostic.event}`)));
    const seen: unknown[] = [];
    // A raw hook, not contained as subscribeRuns' are: the last guard is core's own.
    cleanups.push(
      addRunHook('http.server.request', {
        start: undefined,
        bind: undefined,
        finish: (message: OperationMessage) => {
          if (message.attributes.method === 'PUT') throw new Error('faulty hook');
          seen.push(message.attributes.method);
        },
      } as never),
    );
    for (const method of ['GET', 'PUT', 'POST']) endWithTurn(httpServerRequest.start({ method }, (scope) => scope));
    publishEndedRuns();
    expect(seen).toEqual(['GET', 'POST']);
    expect(reported).toEqual(['core:publish_failed']);
  });

  it('ends a run whose fn is still running when fn returns, as end() does, and an unobserved scope at once', () => {
    const runs = finished(['risk.check']);
    riskCheck.start({ strategyId: 's' }, (scope) => {
      endWithTurn(scope);
      expect(runs).toHaveLength(0);
    });
    expect(runs).toHaveLength(1);
    for (const cleanup of cleanups.splice(0)) cleanup();
    const ended = riskCheck.start({ strategyId: 'plain' }, (scope) => scope);
    endWithTurn(ended);
    expect(ended.ended).toBe(true);
  });
});

describe('subscribeRuns: one way to subscribe, never throwing into the run', () => {
  it('contains and counts a throwing finish, start or bindContext, and the run keeps its result', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.prependListener('uncaughtException', onUncaught);
    cleanups.push(() => process.removeListener('uncaughtException', onUncaught));
    const diagnostics: string[] = [];
    cleanups.push(onDiagnostic((diagnostic) => diagnostics.push(`${diagnostic.source}:${diagnostic.event}`)));
    const before = runSubscriberStats().failures.faulty ?? 0;
    cleanups.push(
      subscribeRuns({
        source: 'faulty',
        operations: ['order.execution'],
        start: () => {
          throw new Error('start bug');
        },
        bindContext: () => {
          throw new Error('bind bug');
        },
        finish: () => {
          throw new Error('finish bug');
        },
      }),
    );
    expect(
      runWithContext({ correlationId: 'c-faulty' }, () =>
        orderExecution.run(order, () => currentContext()?.correlationId),
      ),
    ).toBe('c-faulty');
    await expect(orderExecution.run(order, async () => 'async-ok')).resolves.toBe('async-ok');
    await tick();
    expect(uncaught).toEqual([]);
    expect((runSubscriberStats().failures.faulty ?? 0) - before).toBe(6);
    expect(diagnostics).toContain('faulty:run_finish_failed');
    expect(diagnostics).toContain('faulty:run_bind_failed');
  });

  it('binds the context a subscriber derives for the duration of fn', () => {
    const slot = Symbol('test.slot');
    cleanups.push(
      subscribeRuns({
        source: 'binder',
        operations: ['risk.check'],
        bindContext: (message) => contextWithSlot(message.context, slot, 'span-1'),
        finish: () => {},
      }),
    );
    expect(riskCheck.run({ strategyId: 'b' }, () => currentContext()?.slot(slot))).toBe('span-1');
  });

  it('stops calling after unsubscribe (idempotent)', () => {
    let calls = 0;
    const stop = subscribeRuns({ source: 'counting', operations: ['risk.check'], finish: () => calls++ });
    riskCheck.run({}, () => 1);
    stop();
    stop();
    riskCheck.run({}, () => 1);
    expect(calls).toBe(1);
  });
});

describe('diagnostics listeners are isolated', () => {
  it('a throwing onDiagnostic listener neither crashes the process nor silences the others', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.prependListener('uncaughtException', onUncaught);
    cleanups.push(() => process.removeListener('uncaughtException', onUncaught));
    const seen: string[] = [];
    cleanups.push(
      onDiagnostic(() => {
        throw new Error('listener bug');
      }),
    );
    cleanups.push(onDiagnostic((diagnostic) => seen.push(diagnostic.event)));
    reportDiagnostic({ source: 'test', event: 'something_failed' });
    await tick();
    expect(seen).toEqual(['something_failed']);
    expect(uncaught).toEqual([]);
  });
});

describe('typed attributes', () => {
  it('rejects a misspelled trading field at compile time and accepts objects built elsewhere', () => {
    // @ts-expect-error strategyID is not a trading field (strategyId is)
    orderExecution.run({ strategyID: 'mm-1' }, () => 1);
    const built = { strategyId: 'mm-1', venueRef: 'abc' };
    expect(orderExecution.run(built, () => currentContext()?.fields.strategyId)).toBe('mm-1');
    expectTypeOf(httpServerRequest.run).parameter(0).toHaveProperty('statusCode');
  });
});

describe('docs/reference/operations.md', () => {
  it('renders OUTCOME_SIGNALS and ERROR_OUTCOMES as they are', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../../docs/reference/operations.md', import.meta.url), 'utf8');
    const lines = text.split('\n');
    const header = lines.findIndex((line) => line.startsWith('| class | outcomes |'));
    const rows = lines.slice(header + 2, header + 5);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const [klass, outcomes, level, eventOutcome, spanStatus, counts] = row
        .split('|')
        .slice(1)
        .map((cell) => cell.trim());
      const signals = OUTCOME_SIGNALS[klass!.replaceAll('`', '') as keyof typeof OUTCOME_SIGNALS];
      expect([level, eventOutcome, spanStatus!.toLowerCase(), counts!.startsWith('yes')]).toEqual([
        signals.logLevel,
        signals.eventOutcome,
        signals.spanStatus,
        signals.countsAsError,
      ]);
      for (const outcome of outcomes!.match(/`([a-z_]+)`/g) ?? [])
        expect(outcomeClassOf(outcome.replaceAll('`', ''))).toBe(klass!.replaceAll('`', ''));
    }
  });

  it('calls the signals directly: nothing is published on the channel unless someone subscribes there, and then both see the run', async () => {
    const order: string[] = [];
    cleanups.push(
      subscribeRuns({
        source: 'test',
        operations: ['order.execution', 'order.execution'],
        start: () => order.push('hook start'),
        bindContext: (message) => contextWithSlot(message.context, SLOT, 'bound'),
        finish: (message) =>
          order.push(`hook finish ${message.verdict.outcome} in ${String(currentContext()?.slot(SLOT))}`),
      }),
    );
    const channel = orderExecution.channel;
    expect(orderExecution.hasSubscribers).toBe(true);
    expect(channel.start.hasSubscribers || channel.end.hasSubscribers || channel.asyncEnd.hasSubscribers).toBe(false);

    orderExecution.run({ orderId: 'o-1' }, () => order.push(`fn in ${String(currentContext()?.slot(SLOT))}`));
    expect(order).toEqual(['hook start', 'fn in bound', 'hook finish success in bound']);

    // A raw channel subscriber: it sees every event, after the hooks, in the bound context too.
    order.length = 0;
    const handlers = {
      start: () => order.push('channel start'),
      end: (message: unknown) => order.push(`channel end ${String((message as OperationMessage).async)}`),
      asyncStart: () => order.push('channel asyncStart'),
      asyncEnd: () => order.push(`channel asyncEnd in ${String(currentContext()?.slot(SLOT))}`),
      error: () => order.push('channel error'),
    };
    channel.subscribe(handlers as never);
    cleanups.push(() => channel.unsubscribe(handlers as never));
    await orderExecution.run({ orderId: 'o-2' }, async () => {
      await Promise.resolve();
      order.push('fn');
    });
    expect(order).toEqual([
      'hook start',
      'channel start',
      'channel end true',
      'fn',
      'hook finish success in bound',
      'channel asyncStart',
      'channel asyncEnd in bound',
    ]);
  });
});

const SLOT = Symbol('test.slot');
