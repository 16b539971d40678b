import { type Context, ROOT_CONTEXT, createContextKey, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { lazySpanContext } from '../src/internal/lazy-span-context.js';

describe('lazySpanContext', () => {
  const tracer = new BasicTracerProvider().getTracer('test');
  const other = createContextKey('other');

  it('answers the active-span read with its span, and every other read from parent + span', () => {
    const parentSpan = tracer.startSpan('parent');
    const span = tracer.startSpan('child');
    const parent = trace.setSpan(ROOT_CONTEXT.setValue(other, 'kept'), parentSpan);
    const lazy = lazySpanContext(parent, span);
    expect(trace.getSpan(lazy)).toBe(span);
    expect(lazy.getValue(other)).toBe('kept');
    const next = lazy.setValue(createContextKey('added'), 1);
    expect(trace.getSpan(next)).toBe(span);
    expect(next.getValue(other)).toBe('kept');
    expect(trace.getSpan(lazy.deleteValue(other))).toBe(span);
    expect(trace.getSpan(trace.deleteSpan(lazy))).toBeUndefined();
  });

  it('uses the key the OpenTelemetry API itself reads the active span with', () => {
    const keys: symbol[] = [];
    const spy = { getValue: (key: symbol) => keys.push(key) } as unknown as Context;
    trace.getSpan(spy);
    expect(keys).toEqual([Symbol.for('OpenTelemetry Context Key SPAN')]);
  });
});
