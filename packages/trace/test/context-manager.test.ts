import { ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import { currentContext, withFields } from '@jts/core';
import { describe, expect, it } from 'vitest';
import { OTEL_CONTEXT_SLOT, createJtsContextManager } from '../src/index.js';

const KEY = createContextKey('test');

describe('createJtsContextManager', () => {
  const manager = createJtsContextManager();

  it('keeps the OpenTelemetry context in a slot of the JTS context, preserving its fields', () => {
    const otel = ROOT_CONTEXT.setValue(KEY, 'v');
    expect(manager.active()).toBe(ROOT_CONTEXT);
    withFields({ correlationId: 'corr-ctxmgr01', symbol: 'AAPL' }, () => {
      manager.with(otel, () => {
        expect(manager.active().getValue(KEY)).toBe('v');
        expect(currentContext()?.slot(OTEL_CONTEXT_SLOT)).toBe(otel);
        expect(currentContext()?.correlationId).toBe('corr-ctxmgr01');
        expect(currentContext()?.fields.symbol).toBe('AAPL');
      });
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });
  });

  it('passes this and arguments through with() and survives awaits', async () => {
    const otel = ROOT_CONTEXT.setValue(KEY, 'async');
    const target = { factor: 3 };
    const result = await manager.with(
      otel,
      async function (this: typeof target, value: number) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        expect(manager.active().getValue(KEY)).toBe('async');
        return this.factor * value;
      },
      target,
      7,
    );
    expect(result).toBe(21);
  });

  it('binds functions to a context and leaves other values alone', () => {
    const otel = ROOT_CONTEXT.setValue(KEY, 'bound');
    const bound = manager.bind(otel, (suffix: string) => `${String(manager.active().getValue(KEY))}${suffix}`);
    expect(bound('!')).toBe('bound!');
    const plain = { a: 1 };
    expect(manager.bind(otel, plain)).toBe(plain);
    expect(manager.enable()).toBe(manager);
    expect(manager.disable()).toBe(manager);
  });
});
