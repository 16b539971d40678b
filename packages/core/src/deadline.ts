/**
 * Waits for `work` at most `timeoutMs`: the one deadline every JTS `close()` and `flush()` uses.
 * Resolves when the work settles (fulfilled or rejected: a close never rejects because a
 * destination failed; that is counted where it happened) or when the deadline passes, whichever
 * comes first. The timer never keeps the process alive.
 *
 * @param work - the flush or close in progress
 * @param timeoutMs - deadline in milliseconds
 * @returns `'settled'` when the work finished in time, `'timed-out'` otherwise
 * @example
 * if ((await withDeadline(exporter.shutdown(), 5000)) === 'timed-out') stats.closeTimeouts++;
 */
export function withDeadline(work: PromiseLike<unknown>, timeoutMs: number): Promise<'settled' | 'timed-out'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, timeoutMs), 'timed-out');
    timer.unref();
  });
  const settled = Promise.resolve(work).then(
    () => 'settled' as const,
    () => 'settled' as const,
  );
  return Promise.race([settled, deadline]).finally(() => clearTimeout(timer));
}
