import { httpServerRequest, marketDataProcessing, orderExecution, strategyExecution } from '@jts/core';
import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { type Sampler, SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createOperationSampler, parseSamplingRules, validateSamplingRules } from '../src/index.js';
import { samplerReads } from '../src/operation-sampler.js';
import { type TestTracing, startTestTracing } from './support/in-memory-tracing.js';

const traceIds = Array.from({ length: 4000 }, () => randomBytes(16).toString('hex'));
const parent = (sampled: boolean) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });

let tracing: TestTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

describe('parseSamplingRules', () => {
  it.each([
    [
      'compact form',
      'market_data.processing=0.01, order.execution=always,*=0.5',
      { 'market_data.processing': 0.01, 'order.execution': 'always', '*': 0.5 },
    ],
    [
      'JSON form',
      '{"market_data.processing":0.001,"risk.check":"always"}',
      { 'market_data.processing': 0.001, 'risk.check': 'always' },
    ],
    ['ratio 0 and 1', 'a=0,b=1', { a: 0, b: 1 }],
  ])('parses the %s', (_name, raw, expected) => {
    expect(parseSamplingRules(raw)).toEqual(expected);
  });

  it.each([
    ['ratio above 1', 'a=1.5'],
    ['negative', 'a=-0.1'],
    ['not a number', 'a=often'],
    ['no "="', 'market_data.processing'],
    ['empty name', '=0.5'],
    ['broken JSON', '{"a":'],
    ['JSON array', '[1]'],
    ['JSON bad value', '{"a":"sometimes"}'],
  ])('rejects %s', (_name, raw) => {
    expect(parseSamplingRules(raw)).toBeUndefined();
  });

  it('throws JTS_ERR_INVALID_OPTION for bad rules given in code, naming the option and env var', () => {
    expect(() => validateSamplingRules({ 'order.execution': 2 })).toThrow(
      /sampling\.order\.execution.*JTS_TRACE_SAMPLING_RULES/,
    );
    expect(() => validateSamplingRules({ a: '0.5' as unknown as number })).toThrowError(
      expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION' }),
    );
  });
});

describe('createOperationSampler', () => {
  const decide = (
    sampler: ReturnType<typeof createOperationSampler>,
    name: string,
    context = ROOT_CONTEXT,
    kind = SpanKind.INTERNAL,
    attributes = {},
  ) =>
    traceIds.filter(
      (traceId) =>
        sampler.shouldSample(context, traceId, name, kind, attributes, []).decision ===
        SamplingDecision.RECORD_AND_SAMPLED,
    ).length;

  it('applies the ratio of each operation to new traces', () => {
    const sampler = createOperationSampler({ 'market_data.processing': 0.1, 'order.execution': 'always', '*': 0.5 });
    const marketData = decide(sampler, 'market_data.processing');
    expect(marketData).toBeGreaterThan(250);
    expect(marketData).toBeLessThan(550);
    expect(decide(sampler, 'order.execution')).toBe(traceIds.length);
    const other = decide(sampler, 'strategy.execution');
    expect(other).toBeGreaterThan(1700);
    expect(other).toBeLessThan(2300);
  });

  it('follows a sampled or unsampled parent, except that "always" overrides an unsampled one', () => {
    const sampler = createOperationSampler({ 'market_data.processing': 0, 'order.execution': 'always', '*': 1 });
    expect(decide(sampler, 'market_data.processing', parent(true))).toBe(traceIds.length);
    expect(decide(sampler, 'strategy.execution', parent(false))).toBe(0);
    expect(decide(sampler, 'order.execution', parent(false))).toBe(traceIds.length);
  });

  it('applies the http.server.request rule to SERVER spans named after their route', () => {
    const sampler = createOperationSampler({ 'http.server.request': 0, '*': 1 });
    expect(decide(sampler, 'GET /orders', ROOT_CONTEXT, SpanKind.SERVER, { 'http.request.method': 'GET' })).toBe(0);
    expect(decide(sampler, 'GET /orders', ROOT_CONTEXT, SpanKind.INTERNAL, {})).toBe(traceIds.length);
  });

  it('tells which start attributes it reads: the method only with an http.server.request rule', () => {
    expect(samplerReads(createOperationSampler())).toBe('nothing');
    expect(samplerReads(createOperationSampler({ 'market_data.processing': 0.5 }))).toBe('nothing');
    expect(samplerReads(createOperationSampler({ 'http.server.request': 0.5 }))).toBe('method');
    const other: Sampler = { shouldSample: () => ({ decision: SamplingDecision.RECORD_AND_SAMPLED }) };
    expect(samplerReads(other)).toBe('all');
    expect(samplerReads(undefined)).toBe('all');
  });

  it('decides the same way as the trace ID ratio sampler for one trace ID everywhere', () => {
    const sampler = createOperationSampler({ '*': 0.3 });
    const first = decide(sampler, 'x');
    expect(decide(sampler, 'x')).toBe(first);
  });
});

describe('sampling through initTracing', () => {
  it('reads JTS_TRACE_SAMPLING_RULES and merges it over the defaults', async () => {
    tracing = startTestTracing({ env: { JTS_TRACE_SAMPLING_RULES: 'strategy.execution=0' } });
    for (let index = 0; index < 50; index++) strategyExecution.run({}, () => undefined);
    orderExecution.run({ orderId: 'o' }, () => undefined);
    const spans = await tracing.spans();
    expect(spans.filter((span) => span.name === 'strategy.execution')).toHaveLength(0);
    expect(spans.filter((span) => span.name === 'order.execution')).toHaveLength(1);
  });

  it('keeps an order inside an unsampled market-data trace ("always")', async () => {
    tracing = startTestTracing({ sampling: { 'market_data.processing': 0 } });
    marketDataProcessing.run({ symbol: 'X' }, () => orderExecution.run({ orderId: 'o' }, () => undefined));
    const spans = await tracing.spans();
    expect(spans.map((span) => span.name)).toEqual(['order.execution']);
  });

  it('code rules win over the environment', async () => {
    tracing = startTestTracing({
      sampling: { 'strategy.execution': 1 },
      env: { JTS_TRACE_SAMPLING_RULES: 'strategy.execution=0' },
    });
    strategyExecution.run({}, () => undefined);
    expect((await tracing.spans()).map((span) => span.name)).toEqual(['strategy.execution']);
  });

  // An HTTP server span of the adapters: what the sampler sees of it decides these two.
  const request = (traceparent?: string) =>
    httpServerRequest.run(
      {
        method: 'GET',
        route: '/orders/:id',
        url: '/orders/7?verbose=1',
        scheme: 'https',
        headers: { 'user-agent': 'curl/8', ...(traceparent !== undefined && { traceparent }) },
      },
      (scope) => scope.setAttributes({ statusCode: 200 }),
    );

  it("applies the http.server.request rule to the adapters' spans, with or without a parent", async () => {
    tracing = startTestTracing({ sampling: { 'http.server.request': 'always', '*': 0 } });
    request('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00');
    strategyExecution.run({}, () => undefined);
    let spans = await tracing.spans();
    // Under an unsampled parent only `always` samples: the rule was applied, not the fallback.
    expect(spans.map((span) => span.name)).toEqual(['GET /orders/:id']);
    expect(spans[0]?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/orders/7',
      'url.query': 'verbose=1',
      'url.scheme': 'https',
      'user_agent.original': 'curl/8',
      'http.route': '/orders/:id',
    });
    await tracing.shutdown();
    tracing = startTestTracing({ sampling: { 'http.server.request': 0 } });
    request();
    orderExecution.run({ orderId: 'o' }, () => undefined);
    spans = await tracing.spans();
    expect(spans.map((span) => span.name)).toEqual(['order.execution']);
  });

  it('gives a Sampler passed as `sampling` every start attribute of an HTTP server span', async () => {
    const seen: Record<string, unknown>[] = [];
    const sampler: Sampler = {
      shouldSample: (_context, _traceId, _name, _kind, attributes) => {
        seen.push({ ...attributes });
        return { decision: SamplingDecision.RECORD_AND_SAMPLED };
      },
    };
    tracing = startTestTracing({ sampling: sampler });
    request();
    expect(seen).toEqual([
      {
        'http.request.method': 'GET',
        'http.route': '/orders/:id',
        'url.path': '/orders/7',
        'url.query': 'verbose=1',
        'url.scheme': 'https',
        'user_agent.original': 'curl/8',
      },
    ]);
    expect((await tracing.spans()).map((span) => span.name)).toEqual(['GET /orders/:id']);
  });

  it('leaves sampling to the SDK when only OTEL_TRACES_SAMPLER is set', async () => {
    // The SDK reads process.env itself; our env option only tells initTracing to step aside.
    const previous = process.env.OTEL_TRACES_SAMPLER;
    process.env.OTEL_TRACES_SAMPLER = 'always_off';
    try {
      tracing = startTestTracing({ env: { OTEL_TRACES_SAMPLER: 'always_off' } });
      orderExecution.run({ orderId: 'o' }, () => undefined);
      expect(await tracing.spans()).toHaveLength(0);
    } finally {
      if (previous === undefined) delete process.env.OTEL_TRACES_SAMPLER;
      else process.env.OTEL_TRACES_SAMPLER = previous;
    }
  });
});
