import type { AnomalyDetection, Detector, TradingActivity } from './types.js';

/** Parameters of the cancel-to-fill ratio detector. */
export interface CancelFillRatioOptions {
  /** Sliding window in ms. Default 60000. */
  readonly windowMs?: number;
  /** Fewest cancels in the window before alerting. Default 20. */
  readonly minCancels?: number;
  /** Cancels per fill above which the pattern is flagged. Default 8. */
  readonly maxRatio?: number;
  /**
   * Confidence (one-sided z) required before flagging: the Wilson lower bound of the cancel share
   * must exceed `maxRatio / (maxRatio + 1)`, so a few unlucky fills on a busy market maker do not
   * count as spoofing. Default 1.5 (about 93%).
   */
  readonly confidenceZ?: number;
}

/** Lower bound of the Wilson score interval for a proportion. */
function wilsonLower(successes: number, total: number, z: number): number {
  const p = successes / total;
  const z2 = z * z;
  return (p + z2 / (2 * total) - z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / (1 + z2 / total);
}

interface Window {
  cancels: number[];
  fills: number[];
  lastAlert: number;
}

const evict = (times: number[], before: number) => {
  let drop = 0;
  while (drop < times.length && times[drop]! < before) drop += 1;
  if (drop > 0) times.splice(0, drop);
};

/**
 * Layering / spoofing pattern per account: many cancels for few fills within a sliding window
 * (at least `minCancels`, and a cancel share confidently above `maxRatio` cancels per fill).
 * One detection per account per window (cool-down of `windowMs`).
 *
 * @param options - see {@link CancelFillRatioOptions}
 * @returns the detector
 * @example
 * const spoofing = createCancelFillRatioDetector({ windowMs: 30_000, maxRatio: 10 });
 * spoofing.observe({ kind: 'cancel', time: Date.now(), account: 'A1', symbol: 'AAPL', orderId: 'o-1' });
 */
export function createCancelFillRatioDetector(options: CancelFillRatioOptions = {}): Detector {
  const windowMs = options.windowMs ?? 60_000;
  const minCancels = options.minCancels ?? 20;
  const maxRatio = options.maxRatio ?? 8;
  const z = options.confidenceZ ?? 1.5;
  const share = maxRatio / (maxRatio + 1);
  const windows = new Map<string, Window>();

  return {
    name: 'cancel_fill_ratio',
    observe(activity: TradingActivity): AnomalyDetection[] {
      if (activity.kind === 'order') return [];
      let window = windows.get(activity.account);
      if (!window)
        windows.set(activity.account, (window = { cancels: [], fills: [], lastAlert: Number.NEGATIVE_INFINITY }));
      (activity.kind === 'cancel' ? window.cancels : window.fills).push(activity.time);
      evict(window.cancels, activity.time - windowMs);
      evict(window.fills, activity.time - windowMs);
      if (activity.kind !== 'cancel' || window.cancels.length < minCancels) return [];
      const ratio = window.cancels.length / Math.max(window.fills.length, 1);
      const lower = wilsonLower(window.cancels.length, window.cancels.length + window.fills.length, z);
      if (lower <= share || activity.time - window.lastAlert < windowMs) return [];
      window.lastAlert = activity.time;
      return [
        {
          detector: 'cancel_fill_ratio',
          severity: ratio > 3 * maxRatio ? 'high' : 'medium',
          time: activity.time,
          account: activity.account,
          symbol: activity.symbol,
          message: `Cancel-to-fill ratio ${ratio.toFixed(1)} on account ${activity.account} (${window.cancels.length} cancels, ${window.fills.length} fills in ${windowMs / 1000} s): possible layering/spoofing`,
          details: {
            cancels: window.cancels.length,
            fills: window.fills.length,
            ratio: Number(ratio.toFixed(2)),
            cancelShareLowerBound: Number(lower.toFixed(4)),
            windowMs,
          },
        },
      ];
    },
  };
}
