// What every stack of the order-path benchmark runs: a new order per call, the order step (the
// same tiny work, synchronous or with one await), what its signals must look like, and the span
// exporter that counts spans and drops them.
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Operation, span name and `event.action` of the order call. */
export const OPERATION = 'order.execution';
export const SERVICE_NAME = 'order-service';

/** One order as the service receives it. */
export interface OrderInput {
  readonly orderId: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly exchange: string;
  readonly side: 'buy' | 'sell';
  readonly orderType: string;
}

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA'] as const;
let made = 0;

/**
 * A new order: a new order ID every call, cycling over 8 metric series (4 symbols, 2 sides).
 *
 * @returns the order
 */
export function nextOrder(): OrderInput {
  const sequence = made++;
  return {
    orderId: `o-${sequence}`,
    strategyId: 'mm-1',
    symbol: SYMBOLS[sequence & 3] as string,
    exchange: 'XNAS',
    side: (sequence & 4) === 0 ? 'buy' : 'sell',
    orderType: 'limit',
  };
}

/** Orders made so far in this process, and the ID of the last one. */
export const ordersMade = () => made;
export const lastOrderId = () => `o-${made - 1}`;

let sink = 0;
/** The order step, synchronous. */
export const syncStep = (): number => {
  sink = (sink + 1) | 0;
  return sink;
};
/** The order step with one await, as a step that waits for something already there. */
export const asyncStep = async (): Promise<number> => {
  await Promise.resolve();
  return syncStep();
};

/** Keys of the line @jts/log writes for a run; the hand-wired and spec-pattern lines carry the same. */
export const LINE_KEYS: readonly string[] = [
  'log.level',
  '@timestamp',
  'correlation_id',
  'trading.order_id',
  'trading.strategy_id',
  'trading.symbol',
  'trading.exchange',
  'trading.side',
  'trading.order_type',
  'trace.id',
  'span.id',
  'service.name',
  'service.environment',
  'ecs.version',
  'process.pid',
  'host.hostname',
  'event.action',
  'event.outcome',
  'event.duration',
  'jts.operation.status',
  'message',
];

/** Attributes of the @jts/trace span of a run; the other stacks' spans carry the same. */
export const SPAN_ATTRIBUTE_KEYS: readonly string[] = [
  'trading.order_id',
  'trading.strategy_id',
  'trading.symbol',
  'trading.exchange',
  'trading.side',
  'trading.order_type',
  'correlation_id',
];

/** Accepts every batch and drops it, counting spans and keeping the first for the checks. */
export class CountingExporter implements SpanExporter {
  exported = 0;
  first: ReadableSpan | undefined;

  export(spans: ReadableSpan[], done: (result: { code: ExportResultCode }) => void): void {
    this.exported += spans.length;
    this.first ??= spans[0];
    done({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}
