import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createTraceState,
  createW3CTraceContextPropagator,
  formatTraceparent,
  parseTraceContext,
  parseTraceparent,
} from '../src/index.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;

// Cases from the W3C Trace Context specification (section 3.2 and the test suite), as our own table.
const traceparentCases: ReadonlyArray<
  readonly [string, unknown, { traceId: string; spanId: string; traceFlags: number } | undefined]
> = [
  ['valid version 00, sampled', VALID, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 }],
  [
    'valid version 00, not sampled',
    `00-${TRACE_ID}-${SPAN_ID}-00`,
    { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 },
  ],
  [
    'unknown flags kept for version 00',
    `00-${TRACE_ID}-${SPAN_ID}-09`,
    { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 9 },
  ],
  ['surrounding spaces and tabs (OWS)', ` \t${VALID}\t `, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 }],
  ['version ff is invalid', `ff-${TRACE_ID}-${SPAN_ID}-01`, undefined],
  ['all-zero trace ID is invalid', `00-${'0'.repeat(32)}-${SPAN_ID}-01`, undefined],
  ['all-zero parent ID is invalid', `00-${TRACE_ID}-${'0'.repeat(16)}-01`, undefined],
  ['uppercase hex in trace ID is invalid', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`, undefined],
  ['uppercase hex in parent ID is invalid', `00-${TRACE_ID}-00F067AA0BA902B7-01`, undefined],
  ['uppercase version is invalid', `0A-${TRACE_ID}-${SPAN_ID}-01`, undefined],
  ['uppercase flags are invalid', `00-${TRACE_ID}-${SPAN_ID}-0A`, undefined],
  ['version 00 with trailing data is invalid', `${VALID}-extra`, undefined],
  ['version 00 with a trailing dash is invalid', `${VALID}-`, undefined],
  [
    'future version parsed by prefix',
    `cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-will-be-like`,
    { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
  ],
  [
    'future version exactly 55 characters',
    `01-${TRACE_ID}-${SPAN_ID}-01`,
    { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
  ],
  [
    'future version keeps only the sampled bit',
    `02-${TRACE_ID}-${SPAN_ID}-ff`,
    { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
  ],
  ['future version with data not after a dash is invalid', `cc-${TRACE_ID}-${SPAN_ID}-01x`, undefined],
  ['future version shorter than 55 characters is invalid', `cc-${TRACE_ID}-${SPAN_ID}-1`, undefined],
  ['trace ID too short', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`, undefined],
  ['parent ID too long', `00-${TRACE_ID}-${SPAN_ID}0-01`, undefined],
  ['non-hex character', `00-${TRACE_ID.slice(0, 31)}g-${SPAN_ID}-01`, undefined],
  ['wrong delimiter', `00_${TRACE_ID}_${SPAN_ID}_01`, undefined],
  ['empty', '', undefined],
  ['absent', undefined, undefined],
  ['a number', 42, undefined],
  ['two traceparent headers are invalid', [VALID, VALID], undefined],
  ['one header in an array', [VALID], { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 }],
  ['a Buffer value (Kafka)', Buffer.from(VALID), { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 }],
];

describe('parseTraceparent (W3C Trace Context)', () => {
  it.each(traceparentCases)('%s', (_name, header, expected) => {
    const parsed = parseTraceparent(header);
    if (expected === undefined) expect(parsed).toBeUndefined();
    else expect(parsed).toMatchObject(expected);
  });

  it('formats what it parses back to the same header', () => {
    const parsed = parseTraceContext(VALID);
    expect(parsed && formatTraceparent(parsed)).toBe(VALID);
  });

  it('never throws on arbitrary header bytes and returns either nothing or a well-formed context', () => {
    const header = fc.oneof(
      fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      fc.string({ maxLength: 80 }),
      // Near-valid headers, so the accepting branches are exercised too.
      fc
        .tuple(
          fc.constantFrom('00', '01', 'cc', 'ff', '0A'),
          fc.oneof(
            fc.stringMatching(/^[0-9a-f]{32}$/),
            fc.constant('0'.repeat(32)),
            fc.stringMatching(/^[0-9a-fA-F]{30,33}$/),
          ),
          fc.oneof(fc.stringMatching(/^[0-9a-f]{16}$/), fc.stringMatching(/^[0-9a-f]{15,17}$/)),
          fc.oneof(fc.stringMatching(/^[0-9a-f]{2}$/), fc.stringMatching(/^[0-9a-fA-F]{1,3}$/)),
          fc.constantFrom('', '-', '-x', 'x', ' '),
        )
        .map(([version, traceId, spanId, flags, rest]) => `${version}-${traceId}-${spanId}-${flags}${rest}`),
      fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes)),
    );
    let accepted = 0;
    fc.assert(
      fc.property(header, fc.option(fc.string({ maxLength: 600 })), (value, state) => {
        const context = parseTraceContext(value, state ?? undefined);
        if (context === undefined) return;
        accepted++;
        expect(context.traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(context.traceId).not.toMatch(/^0+$/);
        expect(context.spanId).toMatch(/^[0-9a-f]{16}$/);
        expect(context.spanId).not.toMatch(/^0+$/);
        expect(context.traceFlags).toBeGreaterThanOrEqual(0);
        expect(context.traceFlags).toBeLessThanOrEqual(255);
        expect(context.isRemote).toBe(true);
        const serialized = context.traceState?.serialize();
        if (serialized !== undefined) expect(createTraceState(serialized)?.serialize()).toBe(serialized);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});

const longKey = `a${'b'.repeat(255)}`;
const tracestateCases: ReadonlyArray<readonly [string, string, string | undefined]> = [
  ['one member', 'congo=t61rcWkgMzE', 'congo=t61rcWkgMzE'],
  [
    'two members keep their order',
    'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
    'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
  ],
  ['optional whitespace around members', ' rojo=1 ,\tcongo=2\t', 'rojo=1,congo=2'],
  ['empty members are skipped', 'rojo=1,,congo=2,', 'rojo=1,congo=2'],
  ['multi-tenant key', 'fw529a3039@dt=abc,0tenant@sys=1', 'fw529a3039@dt=abc,0tenant@sys=1'],
  ['key of 256 characters', `${longKey}=1`, `${longKey}=1`],
  ['key of 257 characters is invalid', `${longKey}c=1`, undefined],
  ['uppercase key is invalid', 'Rojo=1', undefined],
  ['key starting with a digit (simple key) is invalid', '1abc=1', undefined],
  ['system ID longer than 14 characters is invalid', 'tenant@abcdefghijklmno=1', undefined],
  ['value with a comma is impossible, with "=" invalid', 'rojo=a=b', undefined],
  ['value ending in a space is trimmed as OWS', 'rojo=abc ', 'rojo=abc'],
  ['value of 256 characters', `rojo=${'v'.repeat(256)}`, `rojo=${'v'.repeat(256)}`],
  ['value of 257 characters is invalid', `rojo=${'v'.repeat(257)}`, undefined],
  ['empty value is invalid', 'rojo=', undefined],
  ['member without "=" is invalid', 'rojo', undefined],
  ['duplicate keys are invalid', 'rojo=1,congo=2,rojo=3', undefined],
  ['non-printable value is invalid', 'rojo=a\u0001b', undefined],
  [
    '32 members is the limit',
    Array.from({ length: 32 }, (_, index) => `k${index}=v`).join(','),
    Array.from({ length: 32 }, (_, index) => `k${index}=v`).join(','),
  ],
  ['33 members are discarded', Array.from({ length: 33 }, (_, index) => `k${index}=v`).join(','), undefined],
];

describe('tracestate (W3C Trace Context)', () => {
  it.each(tracestateCases)('%s', (_name, header, expected) => {
    expect(createTraceState(header)?.serialize()).toBe(expected);
  });

  it('moves an updated key to the front and keeps at most 32 members', () => {
    let state = createTraceState(Array.from({ length: 32 }, (_, index) => `k${index}=v`).join(','));
    state = state?.set('k5', 'new').set('fresh', 'x');
    const members = state?.serialize().split(',') ?? [];
    expect(members[0]).toBe('fresh=x');
    expect(members[1]).toBe('k5=new');
    expect(members).toHaveLength(32);
    expect(state?.set('Bad', 'x').serialize()).toBe(state?.serialize());
    expect(state?.unset('fresh').get('fresh')).toBeUndefined();
  });

  it('drops an invalid tracestate but keeps a valid traceparent, and joins several headers', () => {
    expect(parseTraceContext(VALID, 'bad key=1')?.traceState).toBeUndefined();
    expect(parseTraceContext(VALID, 'bad key=1')?.traceId).toBe(TRACE_ID);
    expect(parseTraceContext(VALID, ['rojo=1', 'congo=2'])?.traceState?.serialize()).toBe('rojo=1,congo=2');
  });
});

describe('createW3CTraceContextPropagator', () => {
  const getter = {
    keys: (carrier: Record<string, string>) => Object.keys(carrier),
    get: (carrier: Record<string, string>, key: string) => carrier[key],
  };
  const setter = {
    set: (carrier: Record<string, string>, key: string, value: string) => {
      carrier[key] = value;
    },
  };

  it('round-trips traceparent and tracestate', () => {
    const propagator = createW3CTraceContextPropagator();
    const extracted = propagator.extract(ROOT_CONTEXT, { traceparent: VALID, tracestate: 'rojo=1' }, getter);
    const out: Record<string, string> = {};
    propagator.inject(extracted, out, setter);
    expect(out).toEqual({ traceparent: VALID, tracestate: 'rojo=1' });
    expect(propagator.fields()).toEqual(['traceparent', 'tracestate']);
  });

  it('leaves the context unchanged for an invalid header and injects nothing without a span', () => {
    const propagator = createW3CTraceContextPropagator();
    const extracted = propagator.extract(ROOT_CONTEXT, { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01-x` }, getter);
    expect(trace.getSpanContext(extracted)).toBeUndefined();
    const out: Record<string, string> = {};
    propagator.inject(ROOT_CONTEXT, out, setter);
    expect(out).toEqual({});
  });
});
