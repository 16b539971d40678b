import { JtsError } from '@jts/core';
import type { AnomalyDetection, Detector, TradingActivity } from './types.js';

/** Parameters of the trading-hours detector. */
export interface TradingHoursOptions {
  /** IANA time zone of the venue, e.g. `America/New_York` (DST handled by Intl). Default `America/New_York`. */
  readonly timeZone?: string;
  /** Local opening time `HH:MM` (inclusive). Default `09:30`. */
  readonly open?: string;
  /** Local closing time `HH:MM` (exclusive). Default `16:00`. */
  readonly close?: string;
  /** Trading weekdays, 0 = Sunday. Default Monday to Friday. */
  readonly weekdays?: readonly number[];
  /** Local dates (`YYYY-MM-DD`) without trading. Default none. */
  readonly holidays?: readonly string[];
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function minutes(text: string, name: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match || Number(match[1]) > 24 || Number(match[2]) > 59)
    throw new JtsError('JTS_ERR_INVALID_OPTION', `tradingHours.${name} must be HH:MM, got ${JSON.stringify(text)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Orders outside the venue's trading hours, in the venue's own time zone (`Intl.DateTimeFormat`,
 * so daylight-saving changes are followed).
 *
 * @param options - see {@link TradingHoursOptions}
 * @returns the detector
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for an unknown time zone or a bad time
 * @example
 * const hours = createTradingHoursDetector({ timeZone: 'Europe/London', open: '08:00', close: '16:30' });
 */
export function createTradingHoursDetector(options: TradingHoursOptions = {}): Detector {
  const timeZone = options.timeZone ?? 'America/New_York';
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
  } catch (error) {
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      `tradingHours.timeZone ${JSON.stringify(timeZone)} is not a known IANA time zone`,
      { cause: error },
    );
  }
  const open = minutes(options.open ?? '09:30', 'open');
  const close = minutes(options.close ?? '16:00', 'close');
  const weekdays = new Set(options.weekdays ?? [1, 2, 3, 4, 5]);
  const holidays = new Set(options.holidays ?? []);

  return {
    name: 'outside_trading_hours',
    observe(activity: TradingActivity): AnomalyDetection[] {
      if (activity.kind !== 'order') return [];
      const parts: Record<string, string> = {};
      for (const part of format.formatToParts(activity.time)) parts[part.type] = part.value;
      const local = Number(parts.hour) * 60 + Number(parts.minute);
      const date = `${parts.year}-${parts.month}-${parts.day}`;
      const weekday = WEEKDAYS[parts.weekday!]!;
      const inside = weekdays.has(weekday) && !holidays.has(date) && local >= open && local < close;
      if (inside) return [];
      const localTime = `${date} ${parts.hour}:${parts.minute}`;
      return [
        {
          detector: 'outside_trading_hours',
          severity: 'medium',
          time: activity.time,
          account: activity.account,
          symbol: activity.symbol,
          orderId: activity.orderId,
          message: `Order ${activity.orderId} at ${localTime} ${timeZone} is outside trading hours (${options.open ?? '09:30'}-${options.close ?? '16:00'})`,
          details: { localTime, timeZone },
        },
      ];
    },
  };
}
