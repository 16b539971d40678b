/** What {@link Deadlines} keeps: an open request, linked in the order it started. */
export interface Timed {
  deadline: number;
  newer: Timed | undefined;
  older: Timed | undefined;
  /** Called once when its deadline passes while it is still in the list. */
  expire(): void;
}

/**
 * The deadlines of the open requests of one adapter (all with the same timeout), in one list and
 * under one timer. Requests start in time order, so their deadlines are in list order: adding is
 * appending, removing is unlinking, and the timer only ever waits for the oldest. A `setTimeout`
 * per request would cost a `Timeout` object, its async-hooks bookkeeping and a `clearTimeout` on
 * every request; this costs two links.
 */
export class Deadlines {
  private oldest: Timed | undefined = undefined;
  private newest: Timed | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;

  constructor(private readonly timeoutMs: number) {}

  /** Starts the clock of `item`. */
  add(item: Timed): void {
    item.deadline = performance.now() + this.timeoutMs;
    item.newer = undefined;
    item.older = this.newest;
    if (this.newest === undefined) this.oldest = item;
    else this.newest.newer = item;
    this.newest = item;
    if (this.timer === undefined) this.arm(this.timeoutMs);
  }

  /** Stops the clock of `item` (it ended); harmless for an item not in the list. */
  remove(item: Timed): void {
    if (item.older === undefined && this.oldest !== item) return;
    if (item.older === undefined) this.oldest = item.newer;
    else item.older.newer = item.newer;
    if (item.newer === undefined) this.newest = item.older;
    else item.newer.older = item.older;
    item.older = item.newer = undefined;
  }

  private arm(delayMs: number): void {
    // At least 1 ms. The timer's clock may run a little ahead of performance.now(): an oldest item
    // not yet due when it fires is simply waited for again.
    this.timer = setTimeout(this.expireDue, Math.max(1, Math.ceil(delayMs)));
    this.timer.unref();
  }

  private readonly expireDue = (): void => {
    this.timer = undefined;
    const now = performance.now();
    while (this.oldest !== undefined && this.oldest.deadline <= now) {
      const due = this.oldest;
      this.remove(due);
      try {
        due.expire();
      } catch {
        // Closing out one request must not stop the others' clocks.
      }
    }
    if (this.oldest !== undefined) this.arm(this.oldest.deadline - now);
  };
}
