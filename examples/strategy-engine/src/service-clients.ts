import { Inject, Injectable } from '@nestjs/common';
import { ENGINE_CONFIG, type StrategyEngineConfig } from './config.js';

/** A quote as the market-data service serves it. */
export interface Quote {
  readonly symbol: string;
  readonly bid: number;
  readonly ask: number;
  readonly last: number;
}

/** The order service's answer (`POST /orders`). */
export interface OrderResult {
  readonly orderId: string;
  readonly status: 'filled' | 'partially_filled' | 'rejected' | 'failed';
  readonly filledQuantity: number;
  readonly averagePrice?: number;
  readonly reason?: string;
}

/** The order the engine sends. */
export interface OrderToSend {
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly orderType: 'market' | 'limit';
  readonly quantity: number;
  readonly price: number;
}

/**
 * The HTTP clients of the other services. Plain `fetch`: `@jts/trace` (through undici's
 * diagnostics channel) adds `traceparent`, `baggage` and `x-correlation-id` to every request, so
 * the market-data and order services continue this engine's trace and correlation ID.
 */
@Injectable()
export class ServiceClients {
  constructor(@Inject(ENGINE_CONFIG) private readonly config: StrategyEngineConfig) {}

  /** The latest quote of a symbol. */
  async quote(symbol: string): Promise<Quote> {
    const response = await fetch(`${this.config.marketDataUrl}/quotes/${encodeURIComponent(symbol)}`, {
      signal: AbortSignal.timeout(this.config.requestTimeoutMs),
    });
    if (!response.ok) throw new Error(`market data answered ${response.status} for ${symbol}`);
    return (await response.json()) as Quote;
  }

  /** Sends an order; a 4xx/5xx with a body is still an answer (rejected, failed). */
  async submit(order: OrderToSend): Promise<OrderResult> {
    const response = await fetch(`${this.config.orderServiceUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(order),
      signal: AbortSignal.timeout(this.config.requestTimeoutMs),
    });
    const body = (await response.json().catch(() => undefined)) as OrderResult | undefined;
    if (body?.status === undefined) throw new Error(`order service answered ${response.status}`);
    return body;
  }
}
