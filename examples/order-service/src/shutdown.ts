/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits: 0 when it completed, 1 when it threw.
 * The JTS packages also flush on these signals through `@jts/core`'s exit registry; with a
 * listener of ours installed they leave the decision to exit to us.
 *
 * @param stop - closes the server, then the signals
 */
export function onShutdown(stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
