import { EventEmitter, once } from 'node:events';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  contextStorage,
  correlationId,
  createContext,
  currentContext,
  contextWithSlot,
  type JtsContext,
  runInContext,
  runWithContext,
  runWithSlot,
  withFields,
} from '@jts/core';
import {
  contextMemo,
  correlationIdGeneratedHere,
  correlationIdOfRequest,
  createTrustedContext,
  isGeneratedCorrelationId,
} from '@jts/core/internal';

describe('context isolation', () => {
  it('keeps 10,000 concurrent async flows apart', async () => {
    const flows = 10_000;
    const mismatches: number[] = [];
    await Promise.all(
      Array.from({ length: flows }, (_, index) =>
        runWithContext({ correlationId: `flow-${index}`, symbol: `SYM${index}` }, async () => {
          for (let step = 0; step < 3; step++) {
            await new Promise((resolve) => (index % 2 === 0 ? setImmediate(resolve) : setTimeout(resolve, index % 3)));
            if (correlationId() !== `flow-${index}` || currentContext()?.fields.symbol !== `SYM${index}`)
              mismatches.push(index);
          }
        }),
      ),
    );
    expect(mismatches).toEqual([]);
    expect(correlationId()).toBeUndefined();
  });

  it('is undefined outside any scope and restored after a scope ends', () => {
    expect(currentContext()).toBeUndefined();
    runWithContext({ correlationId: 'outer' }, () => {
      runWithContext({ correlationId: 'inner' }, () => expect(correlationId()).toBe('inner'));
      expect(correlationId()).toBe('outer');
    });
    expect(currentContext()).toBeUndefined();
  });
});

describe('context propagation across async boundaries', () => {
  const inScope = <T>(fn: () => Promise<T>) => runWithContext({ correlationId: 'prop-1', strategyId: 'mm' }, fn);

  it('setTimeout and setImmediate', async () => {
    const seen = await inScope(
      () =>
        new Promise<string[]>((resolve) => {
          setTimeout(
            () =>
              setImmediate(() => resolve([correlationId() ?? 'none', currentContext()?.fields.strategyId ?? 'none'])),
            1,
          );
        }),
    );
    expect(seen).toEqual(['prop-1', 'mm']);
  });

  it('queueMicrotask and Promise.all', async () => {
    const seen = await inScope(async () => {
      const fromMicrotask = await new Promise<string | undefined>((resolve) =>
        queueMicrotask(() => resolve(correlationId())),
      );
      const all = await Promise.all(
        [1, 2, 3].map(async (n) => {
          await sleep(n);
          return correlationId();
        }),
      );
      return [fromMicrotask, ...all];
    });
    expect(seen).toEqual(['prop-1', 'prop-1', 'prop-1', 'prop-1']);
  });

  it('EventEmitter listeners see the context of the emit', async () => {
    const emitter = new EventEmitter();
    const seen: (string | undefined)[] = [];
    emitter.on('fill', () => seen.push(correlationId()));
    await inScope(async () => {
      await sleep(1);
      emitter.emit('fill');
    });
    runWithContext({ correlationId: 'prop-2' }, () => emitter.emit('fill'));
    expect(seen).toEqual(['prop-1', 'prop-2']);
  });

  it('awaiting once() resumes in the waiting context', async () => {
    const emitter = new EventEmitter();
    const waiting = inScope(async () => {
      await once(emitter, 'ready');
      return correlationId();
    });
    runWithContext({ correlationId: 'emitter-side' }, () => setTimeout(() => emitter.emit('ready'), 1));
    expect(await waiting).toBe('prop-1');
  });

  it('streams: a transform and a pipeline started in the scope', async () => {
    const seen = await inScope(async () => {
      const ids: (string | undefined)[] = [];
      await pipeline(
        Readable.from(['a', 'b', 'c']),
        new Transform({
          objectMode: true,
          transform(chunk, _encoding, done) {
            ids.push(correlationId());
            done(null, chunk);
          },
        }),
        async (source: AsyncIterable<unknown>) => {
          for await (const _chunk of source) ids.push(correlationId());
        },
      );
      return ids;
    });
    expect(seen).toEqual(Array(6).fill('prop-1'));
  });

  it('async iterators and generators', async () => {
    async function* quotes() {
      for (let index = 0; index < 3; index++) {
        await sleep(1);
        yield correlationId();
      }
    }
    const seen = await inScope(async () => {
      const ids: (string | undefined)[] = [];
      for await (const id of quotes()) ids.push(id, correlationId());
      return ids;
    });
    expect(seen).toEqual(Array(6).fill('prop-1'));
  });
});

describe('fields and slots', () => {
  it('withFields merges into the parent and keeps its correlation ID', () => {
    runWithContext({ correlationId: 'c-1', strategyId: 'arb', symbol: 'AAPL' }, () => {
      withFields({ symbol: 'MSFT', orderId: 'o-9' }, () => {
        expect(correlationId()).toBe('c-1');
        expect(currentContext()?.fields).toEqual({ strategyId: 'arb', symbol: 'MSFT', orderId: 'o-9' });
        expect(currentContext()?.attributes).toEqual({
          'trading.strategy_id': 'arb',
          'trading.symbol': 'MSFT',
          'trading.order_id': 'o-9',
        });
      });
      expect(currentContext()?.fields).toEqual({ strategyId: 'arb', symbol: 'AAPL' });
    });
  });

  it('withFields outside any scope starts one with a new correlation ID', () => {
    const id = withFields({ symbol: 'X' }, () => correlationId());
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('ignores unknown keys, empty strings and objects; stringifies numbers', () => {
    const fields = runWithContext(
      { orderId: 42 as unknown as string, symbol: '', extra: 'x', side: {} } as never,
      () => currentContext()?.fields,
    );
    expect(fields).toEqual({ orderId: '42' });
  });

  it('rejects an invalid in-code correlation ID and generates one instead', () => {
    const id = runWithContext({ correlationId: 'bad id\n' }, () => correlationId());
    expect(id).not.toBe('bad id\n');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('runInContext re-enters a captured context later', async () => {
    const captured = runWithContext({ correlationId: 'captured' }, () => currentContext());
    expect(captured).toBeDefined();
    await sleep(1);
    expect(runInContext(captured!, () => correlationId())).toBe('captured');
  });

  it('slots carry per-scope values for other packages without a second store', () => {
    const key = Symbol('test.slot');
    runWithContext({ correlationId: 'slot-1', symbol: 'S' }, () => {
      runWithSlot(key, 'value-a', () => {
        expect(currentContext()?.slot(key)).toBe('value-a');
        expect(correlationId()).toBe('slot-1');
        expect(currentContext()?.fields.symbol).toBe('S');
        withFields({ exchange: 'XNAS' }, () => expect(currentContext()?.slot(key)).toBe('value-a'));
      });
      expect(currentContext()?.slot(key)).toBeUndefined();
    });
  });

  it('lives on the documented global symbol', () => {
    const key = Symbol.for('jts.core.context.v1');
    expect((globalThis as Record<symbol, unknown>)[key]).toBe(contextStorage());
    const context = createContext({ correlationId: 'direct' });
    expect(contextStorage().run(context, () => correlationId())).toBe('direct');
  });
});

describe('contextMemo', () => {
  it('derives once per context and key, shares the result with contexts that only add a slot', () => {
    const calls: string[] = [];
    const key = {};
    const derive = (context: JtsContext) => {
      calls.push(context.fields.orderId ?? '');
      return `${context.correlationId}/${context.fields.orderId}`;
    };
    const order = createContext({ orderId: 'o-1' });
    const first = contextMemo(order, key, derive);
    expect(contextMemo(order, key, derive)).toBe(first);
    const spanned = contextWithSlot(order, Symbol('span'), { id: 1 });
    expect(contextMemo(spanned, key, derive)).toBe(first);
    expect(calls).toEqual(['o-1']);
    // Another deriving party, and a child context with fields of its own, derive again.
    expect(contextMemo(order, {}, derive)).toBe(first);
    const child = createContext({ orderId: 'o-2' }, order);
    expect(contextMemo(child, key, derive)).toBe(`${order.correlationId}/o-2`);
    expect(calls).toEqual(['o-1', 'o-1', 'o-2']);
  });
});

describe('isGeneratedCorrelationId', () => {
  it('recognises the form core generates and nothing else', () => {
    const generated = createContext({}).correlationId;
    expect(isGeneratedCorrelationId(generated)).toBe(true);
    for (let index = 0; index < 1000; index++) expect(isGeneratedCorrelationId(crypto.randomUUID())).toBe(true);
    for (const other of [
      '',
      '4111111111111111',
      '59451051-1820-3779-a20c-09bf7f1ac507', // version 3
      '59451051-1820-4779-c20c-09bf7f1ac507', // variant c
      '59451051-1820-4779-A20C-09BF7F1AC507', // upper case
      '59451051-1820-4779-a20c-09bf7f1ac50', // too short
      '59451051-1820-4779-a20c-09bf7f1ac50\n', // right length, a line break last
      '59451051x1820-4779-a20c-09bf7f1ac507',
      'order-4111-1111-1111-1111-0000000000',
    ])
      expect(isGeneratedCorrelationId(other)).toBe(false);
  });
});

describe('correlationIdGeneratedHere', () => {
  it('is true exactly for contexts whose ID core made, and their children', () => {
    const root = createContext({ symbol: 'AAPL' });
    expect(correlationIdGeneratedHere(root)).toBe(true);
    expect(correlationIdGeneratedHere(createContext({ side: 'buy' }, root))).toBe(true);
    expect(correlationIdGeneratedHere(contextWithSlot(root, Symbol('slot'), 1))).toBe(true);
    // A slot added before the root's ID was read: the child reads it through the parent.
    const lazy = createContext({});
    const lazyChild = contextWithSlot(lazy, Symbol('slot'), 1);
    expect(correlationIdGeneratedHere(lazyChild)).toBe(true);
    expect(lazyChild.correlationId).toBe(lazy.correlationId);
    expect(correlationIdGeneratedHere(contextWithSlot(undefined, Symbol('slot'), 1))).toBe(true);

    // A caller's ID is not core's, even in the generated form (the signals then check the form).
    const uuid = crypto.randomUUID();
    const given = createContext({ correlationId: uuid });
    expect(correlationIdGeneratedHere(given)).toBe(false);
    expect(isGeneratedCorrelationId(given.correlationId)).toBe(true);
    expect(correlationIdGeneratedHere(createContext({}, given))).toBe(false);
    expect(correlationIdGeneratedHere(createContext({ correlationId: '4111111111111111' }))).toBe(false);
    // A rejected ID: the context takes its parent's, and what the parent knows about it.
    expect(correlationIdGeneratedHere(createContext({ correlationId: 'bad id' }, root))).toBe(true);
    expect(correlationIdGeneratedHere(createContext({ correlationId: 'bad id' }, given))).toBe(false);
  });

  it('knows the ID of a request without one was generated, and not the ID of a request with one', () => {
    const made = correlationIdOfRequest({}, 'x-correlation-id');
    expect(correlationIdGeneratedHere(createTrustedContext(made))).toBe(true);
    const taken = correlationIdOfRequest({ 'x-correlation-id': crypto.randomUUID() }, 'x-correlation-id');
    expect(correlationIdGeneratedHere(createTrustedContext(taken))).toBe(false);
    // Only the last ID made is known by identity: an older one is not claimed (the form check remains).
    const older = correlationIdOfRequest({}, 'x-correlation-id');
    correlationIdOfRequest({}, 'x-correlation-id');
    expect(correlationIdGeneratedHere(createTrustedContext(older))).toBe(false);
    expect(isGeneratedCorrelationId(older)).toBe(true);
  });

  it('is false for a context of another copy of @jts/core', () => {
    const foreign = { correlationId: 'abc', fields: {}, attributes: {}, slot: () => undefined };
    expect(correlationIdGeneratedHere(foreign)).toBe(false);
  });
});
