import type { StrategyKind } from './config.js';

/** What a strategy decided, and why: the reasoning goes to the audit trail as it is. */
export interface Decision {
  readonly action: 'buy' | 'sell' | 'hold';
  readonly reasoning: {
    readonly rule: string;
    readonly last: number;
    readonly movingAverage: number;
    /** (last - average) / average, in basis points. */
    readonly deviationBps: number;
    readonly thresholdBps: number;
    readonly samples: number;
  };
}

const WINDOW = 8;
const THRESHOLD_BPS = 2;

/**
 * The two toy rules of the example. Momentum buys when the price is above its moving average
 * and sells below it; mean reversion does the opposite. Both hold inside the threshold or until
 * the window is full.
 *
 * @param kind - the strategy's rule
 * @param prices - recent prices, oldest first (the last is the current one)
 * @returns the decision and its reasoning
 */
export function decide(kind: StrategyKind, prices: readonly number[]): Decision {
  const window = prices.slice(-WINDOW);
  const last = window.at(-1) ?? 0;
  const movingAverage = window.reduce((sum, price) => sum + price, 0) / Math.max(1, window.length);
  const deviationBps = movingAverage > 0 ? Math.round(((last - movingAverage) / movingAverage) * 1e4 * 100) / 100 : 0;
  const reasoning = {
    rule: `${kind}: last vs ${WINDOW}-sample moving average`,
    last,
    movingAverage: Math.round(movingAverage * 1e4) / 1e4,
    deviationBps,
    thresholdBps: THRESHOLD_BPS,
    samples: window.length,
  };
  if (window.length < WINDOW || Math.abs(deviationBps) < THRESHOLD_BPS) return { action: 'hold', reasoning };
  const up = deviationBps > 0;
  return { action: up === (kind === 'momentum') ? 'buy' : 'sell', reasoning };
}
