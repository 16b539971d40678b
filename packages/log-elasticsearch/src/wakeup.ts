/** A sleep that can be cut short: the shipper waits on it between batches and retries. */
export interface Wakeup {
  /** Resolves after `ms` milliseconds, or earlier when {@link Wakeup.wake} is called. */
  sleep(ms: number): Promise<void>;
  /** Ends the current sleep (or makes the next one return at once). */
  wake(): void;
}

/**
 * Creates a wakeup. A `wake()` with nobody sleeping is remembered, so a wake that races with
 * the start of a sleep is never lost.
 *
 * @returns the wakeup
 */
export function createWakeup(): Wakeup {
  let pending = false;
  let resolveSleep: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  return {
    sleep(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        resolveSleep = resolve;
        timer = setTimeout(
          () => {
            resolveSleep = undefined;
            resolve();
          },
          Math.max(0, ms),
        );
      });
    },
    wake() {
      if (resolveSleep) {
        clearTimeout(timer);
        const resolve = resolveSleep;
        resolveSleep = undefined;
        resolve();
      } else {
        pending = true;
      }
    },
  };
}

/**
 * Exponential backoff with "equal jitter": half the ceiling fixed, half random, so many
 * processes recovering together spread out but none retries in a tight loop.
 *
 * @param attempt - 0 for the first retry
 * @param baseMs - first ceiling
 * @param maxMs - largest ceiling
 * @returns a delay in `[c/2, c)` with `c = min(maxMs, baseMs * 2^attempt)`
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}
