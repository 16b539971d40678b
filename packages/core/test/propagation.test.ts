import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CORRELATION_ID_PATTERN,
  correlationId,
  correlationIdStats,
  extractContext,
  injectHeaders,
  onDiagnostic,
  runFromHeaders,
  runWithContext,
  type JtsDiagnostic,
} from '@jts/core';

describe('extractContext', () => {
  it('accepts a valid x-correlation-id from Node headers', () => {
    expect(extractContext({ 'x-correlation-id': 'ord-123:abc' })).toEqual({
      correlationId: 'ord-123:abc',
      source: 'header',
      rejected: false,
    });
  });

  it('reads Kafka-style Buffer values, arrays and mixed-case keys', () => {
    expect(extractContext({ 'X-Correlation-ID': Buffer.from('kafka-1') }).correlationId).toBe('kafka-1');
    expect(extractContext({ 'x-correlation-id': [Buffer.from('first'), 'second'] }).correlationId).toBe('first');
    expect(extractContext(new Map([['X-CORRELATION-ID', 'from-map']])).correlationId).toBe('from-map');
    expect(extractContext(new Headers({ 'x-correlation-id': 'from-fetch' })).correlationId).toBe('from-fetch');
  });

  it('honours a custom header name', () => {
    expect(extractContext({ 'x-request-id': 'r-1' }, { header: 'X-Request-Id' }).correlationId).toBe('r-1');
  });

  it('falls back to W3C baggage, percent-decoded', () => {
    const result = extractContext({ baggage: 'other=1;prop, jts.correlation_id=abc%3A1 ' });
    expect(result).toMatchObject({ correlationId: 'abc:1', source: 'baggage', rejected: false });
  });

  it('rejects invalid IDs, generates a new one and never echoes the raw value', () => {
    const diagnostics: JtsDiagnostic[] = [];
    const stop = onDiagnostic((diagnostic) => diagnostics.push(diagnostic));
    const before = correlationIdStats().rejected;
    const hostile = 'x\r\nSet-Cookie: evil=1';
    const result = extractContext({ 'x-correlation-id': hostile });
    stop();
    expect(result.rejected).toBe(true);
    expect(result.source).toBe('generated');
    expect(result.correlationId).toMatch(CORRELATION_ID_PATTERN);
    expect(correlationIdStats().rejected).toBe(before + 1);
    expect(diagnostics).toHaveLength(1);
    expect(JSON.stringify(diagnostics)).not.toContain('evil');
  });

  it('rejects over-long IDs (129 characters) and accepts 128', () => {
    expect(extractContext({ 'x-correlation-id': 'a'.repeat(129) }).rejected).toBe(true);
    expect(extractContext({ 'x-correlation-id': 'a'.repeat(128) }).correlationId).toBe('a'.repeat(128));
  });

  it('passes printable trace headers through and drops non-printable ones', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(extractContext({ traceparent, tracestate: 'a=b' })).toMatchObject({ traceparent, tracestate: 'a=b' });
    expect(extractContext({ traceparent: `${traceparent}\n` }).traceparent).toBeUndefined();
  });

  it('survives absent or odd carriers', () => {
    for (const carrier of [
      undefined,
      null,
      {},
      { 'x-correlation-id': 42 },
      {
        get: () => {
          throw new Error('x');
        },
      },
    ]) {
      expect(extractContext(carrier as never).correlationId).toMatch(CORRELATION_ID_PATTERN);
    }
  });

  const byteValue = fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code)), maxLength: 200 }),
    fc.integer({ min: 129, max: 20_000 }).map((length) => 'a'.repeat(length)),
  );

  it('property: any bytes in any header yield a valid ID, never a raw invalid value', () => {
    fc.assert(
      fc.property(byteValue, byteValue, byteValue, (id, baggage, traceparent) => {
        const result = extractContext({ 'x-correlation-id': id, baggage, traceparent });
        expect(result.correlationId).toMatch(CORRELATION_ID_PATTERN);
        const raw = Buffer.isBuffer(id) ? id.toString('utf8') : id;
        if (result.source === 'header') expect(result.correlationId).toBe(raw);
        else expect(result.correlationId === raw && !CORRELATION_ID_PATTERN.test(raw)).toBe(false);
        for (const value of [result.traceparent, result.tracestate, result.baggage]) {
          if (value !== undefined) expect(value).toMatch(/^[\x20-\x7e]+$/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: a valid ID survives inject then extract, as string or Buffer headers', () => {
    fc.assert(
      fc.property(fc.stringMatching(CORRELATION_ID_PATTERN), fc.boolean(), (id, asBuffer) => {
        const headers = runWithContext({ correlationId: id }, () => injectHeaders<Record<string, unknown>>({}));
        const carrier = asBuffer
          ? Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, Buffer.from(String(value))]))
          : headers;
        expect(extractContext(carrier).correlationId).toBe(id);
        const { baggage } = headers as { baggage: string };
        expect(extractContext({ baggage }).correlationId).toBe(id);
      }),
      { numRuns: 500 },
    );
  });
});

describe('injectHeaders and runFromHeaders', () => {
  it('writes the header and a baggage member, keeping other baggage members', () => {
    const headers = runWithContext({ correlationId: 'c-42' }, () =>
      injectHeaders({ baggage: 'tenant=eu, jts.correlation_id=old' }),
    );
    expect(headers).toEqual({ 'x-correlation-id': 'c-42', baggage: 'tenant=eu,jts.correlation_id=c-42' });
  });

  it('writes into fetch Headers and Maps', () => {
    const fetchHeaders = runWithContext({ correlationId: 'c-43' }, () => injectHeaders(new Headers()));
    expect(fetchHeaders.get('x-correlation-id')).toBe('c-43');
    expect(fetchHeaders.get('baggage')).toBe('jts.correlation_id=c-43');
  });

  it('does nothing outside a context', () => {
    expect(injectHeaders({ a: '1' })).toEqual({ a: '1' });
  });

  it('runFromHeaders runs a consumer in the producer correlation ID', async () => {
    const produced = runWithContext({ correlationId: 'producer-7' }, () =>
      injectHeaders<Record<string, string | Buffer>>({}),
    );
    const kafkaHeaders = Object.fromEntries(
      Object.entries(produced).map(([key, value]) => [key, Buffer.from(String(value))]),
    );
    const seen = await runFromHeaders(kafkaHeaders, async (extracted) => {
      await new Promise((resolve) => setImmediate(resolve));
      return [extracted.source, correlationId()];
    });
    expect(seen).toEqual(['header', 'producer-7']);
  });
});
