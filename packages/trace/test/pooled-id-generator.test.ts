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

  it('gives the pool bytes in order, as lower-case hex, across a refill', () => {
    const original = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
    let fills = 0;
    // Each fill writes its number into its first byte, then 1, 2, 3, ... (mod 256).
    globalThis.crypto.getRandomValues = ((array: Uint8Array) => {
      fills++;
      for (let index = 0; index < array.length; index++) array[index] = index === 0 ? fills : index & 255;
      return array;
    }) as typeof globalThis.crypto.getRandomValues;
    try {
      const ids = createPooledIdGenerator();
      expect(ids.generateTraceId()).toBe('010102030405060708090a0b0c0d0e0f');
      expect(ids.generateSpanId()).toBe('1011121314151617');
      // 4096 bytes a fill: 170 pairs of IDs (24 bytes each) and one more trace ID fit; the next
      // span ID comes from a new fill.
      for (let index = 1; index < 170; index++) {
        ids.generateTraceId();
        ids.generateSpanId();
      }
      expect(ids.generateTraceId()).toBe('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
      expect(fills).toBe(1);
      expect(ids.generateSpanId()).toBe('0201020304050607');
      expect(fills).toBe(2);
    } finally {
      globalThis.crypto.getRandomValues = original;
    }
  });
});
