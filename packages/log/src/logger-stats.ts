import type { Level } from 'pino';
import type { ShippingStats } from './elasticsearch-options.js';

/** Self-metrics of a logger, for `@jts/metrics` (or anything) to collect without importing it. */
export interface LoggerStats {
  /** Lines written, by level (operation lines included). */
  readonly lines: Readonly<Record<Level, number>>;
  /** All lines written. */
  readonly total: number;
  /**
   * Line deliveries lost: a destination's buffer limit reached (its reader stalled), a write
   * that failed, or a write after `close()`. Counted per destination.
   */
  readonly dropped: number;
  /** Completion / failure lines written for operation runs. */
  readonly operationLines: number;
  /** The Elasticsearch shipper's own counters, when shipping is on. */
  readonly elasticsearch?: ShippingStats;
}

const LEVEL_NAMES: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Mutable counters behind {@link LoggerStats}. */
export interface LineCounters {
  /** Counts by pino level number / 10 (index 1 = trace ... 6 = fatal). */
  readonly byLevel: number[];
  dropped: number;
  operationLines: number;
  snapshot(elasticsearch: ShippingStats | undefined): LoggerStats;
}

/** @returns fresh zeroed counters */
export function createLineCounters(): LineCounters {
  const byLevel = [0, 0, 0, 0, 0, 0, 0, 0];
  return {
    byLevel,
    dropped: 0,
    operationLines: 0,
    snapshot(elasticsearch) {
      const lines = {} as Record<Level, number>;
      let total = 0;
      LEVEL_NAMES.forEach((name, index) => {
        lines[name] = byLevel[index + 1] ?? 0;
        total += lines[name];
      });
      return { lines, total, dropped: this.dropped, operationLines: this.operationLines, ...(elasticsearch && { elasticsearch }) };
    },
  };
}
