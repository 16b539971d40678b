import type { SecuritySeverity } from '../audit-record-input.js';

/** One event of trading activity fed to the detectors. */
export interface TradingActivity {
  /** `order` (new order), `cancel` (order cancelled), `fill` (order filled; treated as fully filled). */
  readonly kind: 'order' | 'cancel' | 'fill';
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly account: string;
  readonly symbol: string;
  readonly orderId: string;
  readonly side?: 'buy' | 'sell';
  readonly quantity?: number;
  /** Limit price; absent for market orders. */
  readonly price?: number;
}

/** Names of the built-in detectors. */
export type AnomalyDetectorName =
  | 'order_rate_spike'
  | 'fat_finger'
  | 'cancel_fill_ratio'
  | 'self_trade'
  | 'outside_trading_hours';

/** A detection: becomes a `security.anomaly` event through `anomalySecurityEvent`. */
export interface AnomalyDetection {
  readonly detector: AnomalyDetectorName;
  readonly severity: SecuritySeverity;
  /** Time of the activity that triggered it (ms since the epoch). */
  readonly time: number;
  readonly account: string;
  readonly symbol?: string;
  readonly orderId?: string;
  readonly message: string;
  /** The figures behind the decision (z-score, median, ratio, ...). */
  readonly details: Readonly<Record<string, number | string>>;
}

/** One detector: feed it activity in time order, it returns what it detected. */
export interface Detector {
  readonly name: AnomalyDetectorName;
  observe(activity: TradingActivity): AnomalyDetection[];
}
