import { RollingMedian } from './rolling-median.js';
import type { AnomalyDetection, Detector, TradingActivity } from './types.js';

/** Parameters of the fat-finger detector. */
export interface FatFingerOptions {
  /** Orders per symbol in the rolling window. Default 100. */
  readonly window?: number;
  /** Orders seen for a symbol before alerting. Default 20. */
  readonly minSamples?: number;
  /** Quantity above this multiple of the rolling median is a fat finger. Default 10. */
  readonly quantityMultiple?: number;
  /** Limit price further than this fraction from the rolling median is a fat finger. Default 0.05 (5%). */
  readonly priceDeviation?: number;
}

/**
 * Fat-finger orders: quantity or limit price far from the symbol's rolling median of recent
 * orders. Flagged orders do not enter the window, so a run of errors cannot move the median.
 *
 * @param options - see {@link FatFingerOptions}
 * @returns the detector
 * @example
 * const fatFinger = createFatFingerDetector({ quantityMultiple: 20, priceDeviation: 0.03 });
 */
export function createFatFingerDetector(options: FatFingerOptions = {}): Detector {
  const window = options.window ?? 100;
  const minSamples = options.minSamples ?? 20;
  const multiple = options.quantityMultiple ?? 10;
  const deviation = options.priceDeviation ?? 0.05;
  const quantities = new Map<string, RollingMedian>();
  const prices = new Map<string, RollingMedian>();
  const get = (map: Map<string, RollingMedian>, symbol: string) => {
    let median = map.get(symbol);
    if (!median) map.set(symbol, (median = new RollingMedian(window)));
    return median;
  };

  return {
    name: 'fat_finger',
    observe(activity: TradingActivity): AnomalyDetection[] {
      if (activity.kind !== 'order') return [];
      const quantity = get(quantities, activity.symbol);
      const price = get(prices, activity.symbol);
      const reasons: string[] = [];
      const details: Record<string, number> = {};
      if (activity.quantity !== undefined && quantity.count >= minSamples) {
        const median = quantity.median();
        if (activity.quantity > multiple * median) {
          reasons.push(
            `quantity ${activity.quantity} is ${(activity.quantity / median).toFixed(1)}x the median ${median}`,
          );
          Object.assign(details, { quantity: activity.quantity, medianQuantity: median });
        }
      }
      if (activity.price !== undefined && price.count >= minSamples) {
        const median = price.median();
        const off = Math.abs(activity.price - median) / median;
        if (off > deviation) {
          reasons.push(`price ${activity.price} is ${(off * 100).toFixed(1)}% from the median ${median}`);
          Object.assign(details, {
            price: activity.price,
            medianPrice: median,
            priceDeviation: Number(off.toFixed(4)),
          });
        }
      }
      if (reasons.length === 0) {
        if (activity.quantity !== undefined) quantity.add(activity.quantity);
        if (activity.price !== undefined) price.add(activity.price);
        return [];
      }
      const severe =
        (details.quantity ?? 0) > 10 * multiple * (details.medianQuantity ?? Number.POSITIVE_INFINITY) ||
        (details.priceDeviation ?? 0) > 4 * deviation;
      return [
        {
          detector: 'fat_finger',
          severity: severe ? 'critical' : 'high',
          time: activity.time,
          account: activity.account,
          symbol: activity.symbol,
          orderId: activity.orderId,
          message: `Possible fat-finger order ${activity.orderId} on ${activity.symbol}: ${reasons.join('; ')}`,
          details,
        },
      ];
    },
  };
}
