// Traced order call vs raw OpenTelemetry `tracer.startActiveSpan`, sampled and unsampled, in one run.
// Run: node --import tsx packages/trace/bench/order-span.bench.ts
import { AlwaysOffSampler, AlwaysOnSampler } from '@opentelemetry/sdk-trace-base';
import { runWithContext } from '../../core/dist/index.js';
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
  // Orders run inside a strategy scope, as in @jts/core's own benchmark; every case runs inside it,
  // and every call in it is a new order with its own context.
  await runWithContext({ correlationId: 'bench-corr-1', strategyId: 'mm-1' }, () =>
    compare({
      suite: `trace-order-span-${label}`,
      title: `@jts/trace: traced order call, ${label}`,
      description: `One synchronous order step with 4 trading attributes, ${label}, BatchSpanProcessor with a discarding exporter. Figures are per order, each call a new order with a fresh order ID (1024 orders built up front, cycled), all inside one strategy scope. Baseline: raw OpenTelemetry \`tracer.startActiveSpan\` with the order's 4 attributes, the attributes object built from the order on each call as a hand-wired service does (NodeTracerProvider, ${sampled ? 'AlwaysOn' : 'AlwaysOff'} sampler, default AsyncLocalStorage context manager). JTS: \`orderExecution.run(order, step)\` traced by @jts/trace (a new @jts/core context per order, the span bound with bindStore on core's one store, the order's trading attributes + correlation_id, redaction processor on). Reference: the same operation wrapped around raw \`startActiveSpan\` by hand. Goal from issue 5: at most 1.2x raw OpenTelemetry.`,
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
