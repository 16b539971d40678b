import diagnosticsChannel from 'node:diagnostics_channel';

/** Name of the channel on which every JTS package reports its own troubles. */
export const DIAGNOSTICS_CHANNEL = 'jts:diagnostics';

/** One report of trouble inside the instrumentation (never the application's own errors). */
export interface JtsDiagnostic {
  /** Package that reports, e.g. `log`, `metrics`, `core`. */
  readonly source: string;
  /** Stable event name, e.g. `correlation_id_rejected`, `export_failed`. */
  readonly event: string;
  /** Human-readable detail; never contains rejected raw input. */
  readonly message?: string;
  /** The underlying error, if any. */
  readonly error?: unknown;
}

const channel = diagnosticsChannel.channel(DIAGNOSTICS_CHANNEL);

/**
 * Reports trouble inside the instrumentation without throwing: published on the
 * `jts:diagnostics` channel, silent unless somebody subscribes.
 *
 * @param diagnostic - what happened
 * @example
 * reportDiagnostic({ source: 'log', event: 'ship_failed', error });
 */
export function reportDiagnostic(diagnostic: JtsDiagnostic): void {
  if (!channel.hasSubscribers) return;
  try {
    channel.publish(diagnostic);
  } catch {
    // A faulty subscriber must not turn a telemetry problem into an application failure.
  }
}

/**
 * Subscribes to the diagnostics of every JTS package. A listener that throws is contained: it can
 * neither crash the process nor stop other listeners.
 *
 * @param listener - called with each {@link JtsDiagnostic}
 * @returns a function that unsubscribes
 * @example
 * const stop = onDiagnostic((d) => console.error(`[jts:${d.source}] ${d.event}`));
 */
export function onDiagnostic(listener: (diagnostic: JtsDiagnostic) => void): () => void {
  const handler = (message: unknown) => {
    // diagnostics_channel re-throws a subscriber's error on the next tick as an uncaught
    // exception: a faulty listener would crash the process the diagnostic was about.
    try {
      listener(message as JtsDiagnostic);
    } catch {
      // Nothing to report it to without recursing: the listener is the report channel.
    }
  };
  diagnosticsChannel.subscribe(DIAGNOSTICS_CHANNEL, handler);
  return () => {
    diagnosticsChannel.unsubscribe(DIAGNOSTICS_CHANNEL, handler);
  };
}
