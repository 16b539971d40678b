import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createPooledIdGenerator } from '../src/internal/pooled-id-generator.js';

describe('pooled ID generator', () => {
  it('gives valid, distinct W3C trace and span IDs across pool refills', () => {
    const ids = createPooledIdGenerator();
    const traces = new Set<string>();
    const spans = new Set<string>();
    for (let index = 0; index < 2000; index++) {
      const traceId = ids.generateTraceId();
      const spanId = ids.generateSpanId();
      expect(isValidTraceId(traceId) && isValidSpanId(spanId)).toBe(true);
      traces.add(traceId);
      spans.add(spanId);
    }
    expect(traces.size).toBe(2000);
    expect(spans.size).toBe(2000);
  });

  it('draws again instead of giving an all-zero ID', () => {
    const original = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
    let calls = 0;
    // The first fill is all zeros: every ID from it would be invalid.
    globalThis.crypto.getRandomValues = ((array: Uint8Array) => {
      calls++;
      return calls === 1 ? array.fill(0) : original(array);
    }) as typeof globalThis.crypto.getRandomValues;
    try {
      const spanId = createPooledIdGenerator().generateSpanId();
      expect(isValidSpanId(spanId)).toBe(true);
      expect(calls).toBe(2);
    } finally {
      globalThis.crypto.getRandomValues = original;
    }
  });
});
