import { marketDataProcessing } from '@jts/core';
import type { MarketDataConfig } from './config.js';
import type { QuoteBook } from './quote-book.js';
import type { Telemetry } from './telemetry.js';

/**
 * The simulated feed: every symbol updates at its own rate with a random-walk price and an
 * exchange-to-receipt latency. Each update is one `market_data.processing` run (its duration
 * histogram, its update counter and, sampled, a span); its latency goes to
 * `market_data_latency_seconds`.
 *
 * @param config - symbols, rates and latency range
 * @param book - where quotes go
 * @param telemetry - the signals
 * @returns a function that stops the feed
 */
export function startFeed(config: MarketDataConfig, book: QuoteBook, telemetry: Telemetry): () => void {
  const [low, high] = config.feedLatencyMs;
  const timers = config.symbols.map(({ symbol, rate, startPrice }) => {
    const labels = { symbol, exchange: config.exchange };
    // Resolved once: the latency histogram alone (recordMarketDataUpdate would count the update
    // a second time, as the operation already does).
    const latency = telemetry.metrics.series('market_data_latency_seconds', labels);
    let price = startPrice;
    let sequence = 0;
    return setInterval(() => {
      marketDataProcessing.run(labels, () => {
        const latencyMs = low + Math.random() * (high - low);
        price = Math.max(0.01, price * (1 + (Math.random() - 0.5) * 0.002));
        const spread = Math.max(0.01, price * 0.0002);
        const round = (value: number) => Math.round(value * 100) / 100;
        book.update({
          symbol,
          exchange: config.exchange,
          bid: round(price - spread / 2),
          ask: round(price + spread / 2),
          last: round(price),
          sequence: ++sequence,
          exchangeTime: new Date(Date.now() - latencyMs).toISOString(),
          latencyMs: Math.round(latencyMs * 1000) / 1000,
        });
        latency.observe(latencyMs / 1000);
      });
    }, 1000 / rate);
  });
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
