import { SpanStatusCode, trace } from '@opentelemetry/api';
import { httpServerRequest, orderExecution } from '@jts/core';
import { redactionWork } from '@jts/core/internal';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyBoundSecret, textWithSecret } from '../../../../test/support/planted-secrets.js';
import { type Tracing, initTracing } from '../../src/index.js';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.js';

const MAX_STRING = 16_384;
const LOOKAHEAD = 1024;
let receiver: OtlpReceiver;
let tracing: Tracing;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  tracing = initTracing({ serviceName: 'secrets', env: {}, instrumentFetch: false, otlp: { url: receiver.url } });
});
afterAll(async () => {
  await tracing.shutdown();
  await receiver.close();
});

const planted = fc.record({
  texts: fc.array(textWithSecret, { minLength: 1, maxLength: 4 }),
  bound: keyBoundSecret,
  huge: fc.boolean(),
  fail: fc.boolean(),
});

describe('no planted secret reaches the exported OTLP body (property)', () => {
  it('attributes, event attributes, recorded exceptions, status messages and span names: every span is exported, every body parses, nothing planted appears, the work is bounded', async () => {
    await fc.assert(
      fc.asyncProperty(planted, async ({ texts, bound, huge, fail }) => {
        const [key, secret] = bound.value;
        const [first, ...others] = texts.map((text) => text.value);
        const spansBefore = receiver.spans.length;
        const requestsBefore = receiver.requests.length;
        const before = redactionWork();
        const work = () => {
          const span = trace.getActiveSpan();
          span?.setAttribute('note', first!);
          span?.setAttribute(key, secret);
          span?.setAttribute('notes', others);
          span?.addEvent('broker.reply', { [key]: secret, body: others.join(' ') || first! });
          span?.recordException(new Error(`broker said ${first}`, { cause: others[0] }));
          if (fail) throw new Error(`order refused: ${others[0] ?? first}`);
        };
        try {
          orderExecution.run({ orderId: 'o-1', symbol: 'AAPL' }, work);
        } catch {
          // the refused order: its span carries the error
        }
        // A raw URL where a route template belongs: the name and url.* carry the secret.
        const query = huge ? `${'q'.repeat(1 << 20)}&token=${secret}` : `note=${encodeURIComponent('x')}`;
        httpServerRequest.run(
          { method: 'GET', url: `/orders/${first}?${query}`, route: `/orders/${first}`, headers: {} },
          () => undefined,
        );
        const manual = trace.getTracer('manual').startSpan(`call ${first}`);
        manual.setStatus({ code: SpanStatusCode.ERROR, message: `failed with ${others.at(-1) ?? first}` });
        manual.end();
        await tracing.forceFlush();
        const after = redactionWork();
        const spans = receiver.spans.slice(spansBefore);
        expect(spans.map((span) => span.name).sort()).toEqual(expect.arrayContaining(['order.execution']));
        expect(spans).toHaveLength(3);
        expect(receiver.requests.slice(requestsBefore).every((request) => request.status === 200)).toBe(true);
        const body = JSON.stringify(spans);
        for (const secretText of [...texts.flatMap((text) => text.forbidden), ...bound.forbidden])
          expect(body).not.toContain(secretText);
        const strings = after.strings - before.strings;
        expect(strings).toBeLessThanOrEqual(80);
        expect(after.reads - before.reads).toBeLessThanOrEqual(30 * (MAX_STRING + LOOKAHEAD) * strings);
      }),
      { numRuns: 60 },
    );
  });
});
