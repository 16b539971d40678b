/** A source of wall-clock time in microseconds since the Unix epoch (may jump, even backwards). */
export type MicrosecondSource = () => number;

/** The trail's clock: microsecond UTC timestamps that never go backwards. */
export interface AuditClock {
  /** Microseconds since the epoch, never lower than any value returned before (or given to {@link AuditClock.floor}). */
  nowMicros(): number;
  /** Raises the floor (e.g. to the last timestamp found in the trail when it is reopened). */
  floor(micros: number): void;
}

const REANCHOR_INTERVAL_MS = 1000;

/**
 * The default wall clock: `process.hrtime` for microsecond resolution, anchored to `Date.now()`
 * and re-anchored once a second so it follows NTP adjustments of the wall clock.
 *
 * @returns a microsecond source
 */
export function hrtimeWallClock(): MicrosecondSource {
  let anchorWall = Date.now() * 1000;
  let anchorHr = process.hrtime.bigint();
  return () => {
    const elapsed = Number((process.hrtime.bigint() - anchorHr) / 1000n);
    if (elapsed > REANCHOR_INTERVAL_MS * 1000) {
      anchorWall = Date.now() * 1000;
      anchorHr = process.hrtime.bigint();
      return anchorWall;
    }
    return anchorWall + elapsed;
  };
}

/**
 * Builds the trail clock: the source's time, held at the last value when the source goes back
 * (a wall-clock step backwards never makes a record older than its predecessor).
 *
 * @param source - wall clock in microseconds (default {@link hrtimeWallClock})
 * @returns the monotonic clock
 * @example
 * const clock = createAuditClock();
 * formatMicros(clock.nowMicros()); // '2026-01-02T14:30:00.123456Z'
 */
export function createAuditClock(source: MicrosecondSource = hrtimeWallClock()): AuditClock {
  let last = 0;
  return {
    nowMicros() {
      const now = Math.floor(source());
      if (now > last) last = now;
      return last;
    },
    floor(micros) {
      if (micros > last) last = micros;
    },
  };
}

/**
 * Formats microseconds since the epoch as an RFC 3339 UTC timestamp with six fractional digits.
 *
 * @param micros - microseconds since the epoch
 * @returns e.g. `2026-01-02T14:30:00.123456Z`
 */
export function formatMicros(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString();
  return `${iso.slice(0, 23)}${String(micros - millis * 1000).padStart(3, '0')}Z`;
}

/**
 * Parses a timestamp written by {@link formatMicros} back to microseconds.
 *
 * @param text - `YYYY-MM-DDTHH:MM:SS.ffffffZ`
 * @returns microseconds since the epoch, or NaN when the text is not in that exact form
 */
export function parseMicros(text: string): number {
  if (text.length !== 27 || !TIMESTAMP.test(text)) return Number.NaN;
  const millis = Date.parse(`${text.slice(0, 23)}Z`);
  return millis * 1000 + Number(text.slice(23, 26));
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
