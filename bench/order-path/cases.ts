// The cases of the order-path benchmark: each stack in each variant (sampled or not, synchronous
// step or one await), plus the bare step for reference. Each case runs in its own process.
import { createJtsStack } from './jts-stack.js';
import { type OrderInput, asyncStep, syncStep } from './orders.js';
import { createOtelStack } from './otel-stacks.js';
import type { OrderStack, StackSettings } from './stack.js';

export type StackKind = 'hand-wired' | 'jts' | 'jts-audit' | 'spec' | 'bare';

/** One stack in one variant. */
export interface OrderPathCase {
  /** Command-line name of the case, e.g. `jts-sampled-async`. */
  readonly id: string;
  readonly stack: StackKind;
  readonly sampled: boolean;
  readonly async: boolean;
  /** What the table calls it. */
  readonly name: string;
  /** Sampling and step, e.g. `sampled, async step`. */
  readonly variant: string;
}

export const STACK_NAMES: Readonly<Record<StackKind, string>> = {
  'hand-wired': 'hand-wired: OTel SDK + pino mixin + prom-client exemplars',
  jts: 'jts: orderExecution.run with log, metrics, trace',
  'jts-audit': 'jts + audit trail (order runs recorded)',
  spec: 'spec pattern: startActiveSpan + .labels().observe() + pino',
  bare: 'bare order step, no signals (reference)',
};

const variantOf = (sampled: boolean, async: boolean) =>
  `${sampled ? 'sampled' : 'unsampled'}, ${async ? 'async' : 'sync'} step`;

function makeCase(stack: StackKind, sampled: boolean, async: boolean): OrderPathCase {
  const step = async ? 'async' : 'sync';
  return {
    id: stack === 'bare' ? `bare-${step}` : `${stack}-${sampled ? 'sampled' : 'unsampled'}-${step}`,
    stack,
    sampled,
    async,
    name: STACK_NAMES[stack],
    variant: stack === 'bare' ? `no signals, ${step} step` : variantOf(sampled, async),
  };
}

/** Every case, grouped by variant, the hand-wired stack (the baseline of its variant) first. */
export const CASES: readonly OrderPathCase[] = [
  ...[true, false].flatMap((sampled) =>
    [false, true].flatMap((async) =>
      (['hand-wired', 'jts', ...(sampled ? (['jts-audit'] as const) : []), 'spec'] as const).map((stack) =>
        makeCase(stack, sampled, async),
      ),
    ),
  ),
  makeCase('bare', false, false),
  makeCase('bare', false, true),
];

/** The hand-wired case a case is compared with (same sampling and step); none for the bare step. */
export function baselineOf(item: OrderPathCase): OrderPathCase | undefined {
  if (item.stack === 'bare') return undefined;
  return CASES.find(
    (candidate) =>
      candidate.stack === 'hand-wired' && candidate.sampled === item.sampled && candidate.async === item.async,
  );
}

/** The step alone: what an order costs with no signal at all. */
function bareStack(async: boolean): OrderStack {
  const step = async ? asyncStep : syncStep;
  return {
    order: (_order: OrderInput) => step(),
    exemplars: false,
    audit: false,
    signals: () => Promise.reject(new Error('the bare step has no signals')),
    close: () => Promise.resolve(),
  };
}

/**
 * Creates the stack of a case.
 *
 * @param item - the case
 * @param directory - a fresh directory for its files
 * @returns the stack
 */
export function createStack(item: OrderPathCase, directory: string): OrderStack {
  const settings: StackSettings = { async: item.async, sampled: item.sampled, directory };
  switch (item.stack) {
    case 'hand-wired':
    case 'spec':
      return createOtelStack(settings, item.stack);
    case 'jts':
    case 'jts-audit':
      return createJtsStack(settings, item.stack === 'jts-audit');
    case 'bare':
      return bareStack(item.async);
  }
}
