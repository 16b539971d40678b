import { reportDiagnostic } from '@jts/core';
import type { SecurityEvent } from '../security-events.js';
import { type CancelFillRatioOptions, createCancelFillRatioDetector } from './cancel-fill-ratio.js';
import { type FatFingerOptions, createFatFingerDetector } from './fat-finger.js';
import { type OrderRateSpikeOptions, createOrderRateSpikeDetector } from './order-rate-spike.js';
import { type SelfTradeOptions, createSelfTradeDetector } from './self-trade.js';
import { type TradingHoursOptions, createTradingHoursDetector } from './trading-hours.js';
import type { AnomalyDetection, Detector, TradingActivity } from './types.js';

/** Options of {@link createAnomalyDetector}: each detector's parameters, or `false` to turn it off. */
export interface AnomalyDetectorOptions {
  /** Default on. */
  readonly orderRate?: OrderRateSpikeOptions | false;
  /** Default on. */
  readonly fatFinger?: FatFingerOptions | false;
  /** Default on. */
  readonly cancelFill?: CancelFillRatioOptions | false;
  /** Default on. */
  readonly selfTrade?: SelfTradeOptions | false;
  /** Default off: trading hours are venue-specific, so give them to turn this on. */
  readonly tradingHours?: TradingHoursOptions | false;
  /** Called with each detection. */
  readonly onDetection?: (detection: AnomalyDetection) => void;
  /** Records each detection as a `security.anomaly` event (e.g. the audit trail). Failures are counted. */
  readonly audit?: { recordSecurityEvent(event: SecurityEvent): Promise<unknown> };
}

/** The combined detector. */
export interface AnomalyDetector {
  /** Feeds one activity (in time order); returns the detections it caused. */
  observe(activity: TradingActivity): AnomalyDetection[];
  /** Activities observed, detections per detector, audit failures. */
  stats(): { observed: number; detections: Record<string, number>; auditFailures: number };
}

/**
 * Turns a detection into a security event (kind `anomaly`, the detection's severity).
 *
 * @param detection - what a detector found
 * @returns the event for `audit.recordSecurityEvent`
 */
export function anomalySecurityEvent(detection: AnomalyDetection): SecurityEvent {
  return {
    kind: 'anomaly',
    severity: detection.severity,
    description: detection.message,
    details: {
      detector: detection.detector,
      account: detection.account,
      symbol: detection.symbol,
      order_id: detection.orderId,
      time: new Date(detection.time).toISOString(),
      ...detection.details,
    },
  };
}

/**
 * Runs the anomaly detectors over a stream of trading activity.
 *
 * @param options - detector parameters, where detections go
 * @returns the detector
 * @example
 * const anomalies = createAnomalyDetector({ audit, tradingHours: { timeZone: 'America/New_York' } });
 * anomalies.observe({ kind: 'order', time: Date.now(), account: 'A1', symbol: 'AAPL', orderId: 'o-1', side: 'buy', quantity: 100, price: 187.2 });
 */
export function createAnomalyDetector(options: AnomalyDetectorOptions = {}): AnomalyDetector {
  const detectors: Detector[] = [];
  if (options.orderRate !== false) detectors.push(createOrderRateSpikeDetector(options.orderRate));
  if (options.fatFinger !== false) detectors.push(createFatFingerDetector(options.fatFinger));
  if (options.cancelFill !== false) detectors.push(createCancelFillRatioDetector(options.cancelFill));
  if (options.selfTrade !== false) detectors.push(createSelfTradeDetector(options.selfTrade));
  if (options.tradingHours) detectors.push(createTradingHoursDetector(options.tradingHours));
  let observed = 0;
  let auditFailures = 0;
  const detections: Record<string, number> = {};
  return {
    observe(activity) {
      observed += 1;
      const found = detectors.flatMap((detector) => detector.observe(activity));
      for (const detection of found) {
        detections[detection.detector] = (detections[detection.detector] ?? 0) + 1;
        try {
          options.onDetection?.(detection);
        } catch (error) {
          reportDiagnostic({ source: 'compliance', event: 'on_detection_failed', error });
        }
        options.audit?.recordSecurityEvent(anomalySecurityEvent(detection)).catch((error: unknown) => {
          auditFailures += 1;
          reportDiagnostic({ source: 'compliance', event: 'anomaly_not_audited', error });
        });
      }
      return found;
    },
    stats: () => ({ observed, detections: { ...detections }, auditFailures }),
  };
}
