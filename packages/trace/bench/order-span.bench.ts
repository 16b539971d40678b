// Traced order call vs raw OpenTelemetry `tracer.startActiveSpan`, sampled and unsampled, in one run.
// Run: node --import tsx packages/trace/bench/order-span.bench.ts
import { type Tracer, context, propagation, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, type Sampler, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { orderExecution, runWithContext } from '@jts/core';
import { compare } from '../../../bench/harness.js';
import { type Tracing, initTracing, traceOrderExecution } from '../src/index.js';

const discarding: SpanExporter = {
  export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: async () => {},
};
const LOOP = 50;
let sink = 0;
const work = () => {
  sink = (sink + 1) | 0;
  return sink;
};
const order = { orderId: 'o-1', symbol: 'AAPL', side: 'buy', strategyId: 'mm-1' };
const rawAttributes = { 'trading.order_id': 'o-1', 'trading.symbol': 'AAPL', 'trading.side': 'buy', 'trading.strategy_id': 'mm-1' };

let provider: NodeTracerProvider | undefined;
let rawTracer: Tracer;
let tracing: Tracing | undefined;

const rawSetup = (sampler: Sampler) => () => {
  provider = new NodeTracerProvider({ sampler, spanProcessors: [new BatchSpanProcessor(discarding)] });
  provider.register(); // OpenTelemetry's defaults: AsyncLocalStorageContextManager, W3C propagators
  rawTracer = trace.getTracer('bench');
};
const rawTeardown = async () => {
  await provider?.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
};
const jtsSetup = (sampling: Record<string, number>) => () => {
  tracing = initTracing({ exporter: discarding, sampling, flushOnSignal: false, instrumentFetch: false, env: {} });
};
const jtsTeardown = async () => {
  await tracing?.shutdown();
};

const raw = () => {
  for (let index = 0; index < LOOP; index++) {
    rawTracer.startActiveSpan('order.execution', { attributes: rawAttributes }, (span) => {
      work();
      span.end();
    });
  }
};
// For reference: @jts/core's operation wrapped around raw OpenTelemetry by hand (two AsyncLocalStorages).
const handWired = () => {
  for (let index = 0; index < LOOP; index++) {
    orderExecution.run(order, () =>
      rawTracer.startActiveSpan('order.execution', { attributes: rawAttributes }, (span) => {
        work();
        span.end();
      }),
    );
  }
};
const jts = () => {
  for (let index = 0; index < LOOP; index++) traceOrderExecution(order, work);
};

for (const sampled of [true, false]) {
  const label = sampled ? 'sampled' : 'unsampled';
  // Orders run inside a request or strategy scope, as in @jts/core's own benchmark; both cases run inside it.
  await runWithContext({ correlationId: 'bench-corr-1', strategyId: 'mm-1' }, () => compare({
    suite: `trace-order-span-${label}`,
    title: `@jts/trace: traced order call, ${label}`,
    description: `One synchronous order step with 4 trading attributes, ${label}, BatchSpanProcessor with a discarding exporter. Baseline: raw OpenTelemetry \`tracer.startActiveSpan\` with the same 4 attributes (NodeTracerProvider, ${sampled ? 'AlwaysOn' : 'AlwaysOff'} sampler, default AsyncLocalStorage context manager). JTS: \`traceOrderExecution\` (the @jts/core operation inside an existing request scope, its context, the span bound with bindStore on core's one store, trading attributes + correlation_id, redaction processor on). Goal from issue 5: at most 1.2x raw OpenTelemetry.`,
    operationsPerCall: LOOP,
    cases: [
      { name: `raw OpenTelemetry startActiveSpan (${label})`, baseline: true, fn: raw, setup: rawSetup(sampled ? new AlwaysOnSampler() : new AlwaysOffSampler()), teardown: rawTeardown },
      { name: `reference: orderExecution.run + raw startActiveSpan (${label})`, fn: handWired, setup: rawSetup(sampled ? new AlwaysOnSampler() : new AlwaysOffSampler()), teardown: rawTeardown },
      { name: `traceOrderExecution (${label})`, fn: jts, setup: jtsSetup({ 'order.execution': sampled ? 1 : 0, '*': sampled ? 1 : 0 }), teardown: jtsTeardown },
    ],
    goals: [{ case: `traceOrderExecution (${label})`, text: 'at most 1.2x raw OpenTelemetry', maxTimeRatio: 1.2 }],
  }));
}
if (sink === -1) console.log(sink);
