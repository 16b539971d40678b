/**
 * The `@timestamp` field with microseconds, cheap enough for every line: the wall clock is read
 * once per second and the sub-second part comes from the monotonic `performance.now()`, so a
 * line costs one clock read and a short string concatenation instead of `new Date().toISOString()`.
 */

const MICROS_PER_SECOND = 1_000_000;
// '000' ... '999': two table reads instead of number formatting and padding on every line.
const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, index) => String(index).padStart(3, '0'));
// Beyond this drift between the monotonic clock and the wall clock (NTP step, suspend), re-anchor.
const RESYNC_THRESHOLD_MS = 2;

/** Returns a function producing `,"@timestamp":"YYYY-MM-DDTHH:MM:SS.ffffffZ"` for pino's `timestamp` option. */
export function createTimestamp(): () => string {
  let origin = Date.now() - performance.now();
  let currentSecond = -1;
  let secondPrefix = '';

  return function timestamp(): string {
    let micros = Math.floor((origin + performance.now()) * 1000);
    let second = Math.floor(micros / MICROS_PER_SECOND);
    if (second !== currentSecond) {
      const wall = Date.now();
      const drift = wall - micros / 1000;
      if (drift > RESYNC_THRESHOLD_MS || drift < -RESYNC_THRESHOLD_MS) {
        origin += drift;
        micros = Math.floor((origin + performance.now()) * 1000);
        second = Math.floor(micros / MICROS_PER_SECOND);
      }
      currentSecond = second;
      // 'YYYY-MM-DDTHH:MM:SS.' (20 characters); years 0-9999 only, which a running clock satisfies.
      secondPrefix = `,"@timestamp":"${new Date(second * 1000).toISOString().slice(0, 20)}`;
    }
    const fraction = micros - second * MICROS_PER_SECOND;
    const millis = (fraction / 1000) | 0;
    return `${secondPrefix}${THREE_DIGITS[millis]}${THREE_DIGITS[fraction - millis * 1000]}Z"`;
  };
}
