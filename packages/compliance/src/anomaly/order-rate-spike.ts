import type { AnomalyDetection, Detector, TradingActivity } from './types.js';

/** Parameters of the order-rate spike detector. */
export interface OrderRateSpikeOptions {
  /** Width of a counting bucket in ms. Default 1000. */
  readonly bucketMs?: number;
  /** EWMA smoothing factor of the per-bucket mean and variance. Default 0.02 (about 50 buckets of memory). */
  readonly alpha?: number;
  /** z-score above which a bucket is a spike. Default 4. */
  readonly threshold?: number;
  /** Fewest orders in a bucket before it can be a spike. Default 8. */
  readonly minOrders?: number;
  /** Buckets observed before alerting (baseline warm-up). Default 30. */
  readonly warmupBuckets?: number;
  /** Floor of the standard deviation, so a perfectly regular baseline does not make every blip a spike. Default 1. */
  readonly minStdDev?: number;
}

interface State {
  bucket: number;
  count: number;
  alerted: boolean;
  mean: number;
  variance: number;
  seen: number;
}

/**
 * Order-rate spike per account: orders are counted per bucket; an EWMA of the count's mean and
 * variance is the baseline; a bucket whose count reaches `mean + threshold * std` (and
 * `minOrders`) raises one detection, as soon as it is crossed. Spike buckets do not feed the
 * baseline, so a long burst keeps alerting instead of becoming normal.
 *
 * @param options - see {@link OrderRateSpikeOptions}
 * @returns the detector
 * @example
 * const spikes = createOrderRateSpikeDetector({ threshold: 5 });
 */
export function createOrderRateSpikeDetector(options: OrderRateSpikeOptions = {}): Detector {
  const bucketMs = options.bucketMs ?? 1000;
  const alpha = options.alpha ?? 0.02;
  const threshold = options.threshold ?? 4;
  const minOrders = options.minOrders ?? 8;
  const warmup = options.warmupBuckets ?? 30;
  const minStd = options.minStdDev ?? 1;
  const states = new Map<string, State>();

  const close = (state: State, count: number) => {
    if (!state.alerted) {
      const diff = count - state.mean;
      state.mean += alpha * diff;
      state.variance = (1 - alpha) * (state.variance + alpha * diff * diff);
    }
    state.seen += 1;
  };

  return {
    name: 'order_rate_spike',
    observe(activity: TradingActivity): AnomalyDetection[] {
      if (activity.kind !== 'order') return [];
      const bucket = Math.floor(activity.time / bucketMs);
      let state = states.get(activity.account);
      if (!state) {
        state = { bucket, count: 0, alerted: false, mean: 0, variance: 0, seen: 0 };
        states.set(activity.account, state);
      }
      if (bucket > state.bucket) {
        close(state, state.count);
        // Quiet buckets in between count as zero (bounded: after ~10/alpha they no longer matter).
        const gap = Math.min(bucket - state.bucket - 1, Math.ceil(10 / alpha));
        for (let index = 0; index < gap; index += 1) {
          state.alerted = false;
          close(state, 0);
        }
        state.bucket = bucket;
        state.count = 0;
        state.alerted = false;
      }
      state.count += 1;
      if (state.alerted || state.seen < warmup || state.count < minOrders) return [];
      // Order counts are at least Poisson-dispersed: a variance estimate below the mean is noise, not calm.
      const std = Math.max(Math.sqrt(state.variance), Math.sqrt(state.mean), minStd);
      const z = (state.count - state.mean) / std;
      if (z < threshold) return [];
      state.alerted = true;
      return [
        {
          detector: 'order_rate_spike',
          severity: z >= 2 * threshold ? 'high' : 'medium',
          time: activity.time,
          account: activity.account,
          symbol: activity.symbol,
          message: `Order rate spike on account ${activity.account}: ${state.count} orders in ${bucketMs} ms (baseline ${state.mean.toFixed(1)}, z ${z.toFixed(1)})`,
          details: {
            count: state.count,
            mean: Number(state.mean.toFixed(3)),
            stdDev: Number(std.toFixed(3)),
            z: Number(z.toFixed(2)),
            bucketMs,
          },
        },
      ];
    },
  };
}
