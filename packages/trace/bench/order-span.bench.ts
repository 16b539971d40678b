// Traced order call vs raw OpenTelemetry `tracer.startActiveSpan`, sampled and unsampled, in one run.
// Run: node --import tsx packages/trace/bench/order-span.bench.ts
import { AlwaysOffSampler, AlwaysOnSampler } from '@opentelemetry/sdk-trace-base';
import { runWithContext } from '@jts/core';
import { compare } from '../../../bench/harness.js';
import { handWiredSpan, jtsSetup, jtsSpan, jtsTeardown, rawSetup, rawSpan, rawTeardown } from './order-span-cases.js';

const LOOP = 50;
const repeat = (fn: () => unknown) => () => {
  for (let index = 0; index < LOOP; index++) fn();
};
const raw = repeat(rawSpan);
const handWired = repeat(handWiredSpan);
const jts = repeat(jtsSpan);

for (const sampled of [true, false]) {
  const label = sampled ? 'sampled' : 'unsampled';
  // Orders run inside a request or strategy scope, as in @jts/core's own benchmark; both cases run inside it.
  await runWithContext({ correlationId: 'bench-corr-1', strategyId: 'mm-1' }, () =>
    compare({
      suite: `trace-order-span-${label}`,
      title: `@jts/trace: traced order call, ${label}`,
      description: `One synchronous order step with 4 trading attributes, ${label}, BatchSpanProcessor with a discarding exporter. Baseline: raw OpenTelemetry \`tracer.startActiveSpan\` with the same 4 attributes (NodeTracerProvider, ${sampled ? 'AlwaysOn' : 'AlwaysOff'} sampler, default AsyncLocalStorage context manager). JTS: \`traceOrderExecution\` (the @jts/core operation inside an existing request scope, its context, the span bound with bindStore on core's one store, trading attributes + correlation_id, redaction processor on). Goal from issue 5: at most 1.2x raw OpenTelemetry.`,
      operationsPerCall: LOOP,
      cases: [
        {
          name: `raw OpenTelemetry startActiveSpan (${label})`,
          baseline: true,
          fn: raw,
          setup: rawSetup(sampled ? new AlwaysOnSampler() : new AlwaysOffSampler()),
          teardown: rawTeardown,
        },
        {
          name: `reference: orderExecution.run + raw startActiveSpan (${label})`,
          fn: handWired,
          setup: rawSetup(sampled ? new AlwaysOnSampler() : new AlwaysOffSampler()),
          teardown: rawTeardown,
        },
        {
          name: `orderExecution.run traced (${label})`,
          fn: jts,
          setup: jtsSetup({ 'order.execution': sampled ? 1 : 0, '*': sampled ? 1 : 0 }),
          teardown: jtsTeardown,
        },
      ],
      goals: [
        { case: `orderExecution.run traced (${label})`, text: 'at most 1.2x raw OpenTelemetry', maxTimeRatio: 1.2 },
      ],
    }),
  );
}
