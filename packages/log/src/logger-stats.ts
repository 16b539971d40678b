import type { LoggerStats } from '@jts/core';
import type { Level } from 'pino';
import type { ShippingStats } from './elasticsearch-options.js';

// The shape lives in @jts/core, where @jts/metrics binds its self-metrics to it by type.
export type { LoggerStats };

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
      return {
        lines,
        total,
        dropped: this.dropped,
        operationLines: this.operationLines,
        ...(elasticsearch && { elasticsearch }),
      };
    },
  };
}
