import { randomUUID } from 'node:crypto';
import type { ExchangeConfig } from './config.js';

/** An order as brokers send it to the exchange (`POST /v1/orders`). */
export interface ExchangeOrder {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly orderType: 'market' | 'limit';
  readonly quantity: number;
  /** Limit price, or the reference price of a market order. */
  readonly price: number;
}

/** What the exchange answers. */
export type Execution =
  | {
      readonly status: 'filled' | 'partially_filled';
      readonly exchangeOrderId: string;
      readonly filledQuantity: number;
      readonly averagePrice: number;
    }
  | { readonly status: 'rejected'; readonly exchangeOrderId: string; readonly reason: string };

const REJECTIONS = ['insufficient_margin', 'price_out_of_band', 'symbol_halted'] as const;

/**
 * The simulated matching engine: draws a latency and an outcome per order. Market orders pay a
 * little slippage; partial fills execute 10-90 % of the quantity.
 *
 * @param config - the rates and latency range
 * @param random - a source of numbers in [0, 1) (tests pass a fixed sequence)
 * @returns `latencyMs()` and `execute(order)`
 */
export function createMatchingEngine(config: ExchangeConfig, random: () => number = Math.random) {
  const [low, high] = config.latencyMs;
  return {
    /** How long this answer takes, in ms. */
    latencyMs: () => low + Math.round(random() * (high - low)),
    /** Whether the exchange is too busy to answer (a 503). */
    busy: () => random() < config.errorRate,
    execute(order: ExchangeOrder): Execution {
      const exchangeOrderId = `x-${randomUUID()}`;
      if (random() < config.rejectRate)
        return { status: 'rejected', exchangeOrderId, reason: REJECTIONS[Math.floor(random() * REJECTIONS.length)]! };
      const slippage =
        order.orderType === 'market' ? (order.side === 'buy' ? 1 : -1) * order.price * 0.0005 * random() : 0;
      const averagePrice = Math.round((order.price + slippage) * 100) / 100;
      if (random() < config.partialFillRate && order.quantity > 1) {
        const filledQuantity = Math.max(1, Math.floor(order.quantity * (0.1 + 0.8 * random())));
        return { status: 'partially_filled', exchangeOrderId, filledQuantity, averagePrice };
      }
      return { status: 'filled', exchangeOrderId, filledQuantity: order.quantity, averagePrice };
    },
  };
}
