import type { JtsContext } from './context.js';
import { reportDiagnostic } from './diagnostics.js';
import { type OperationMessage, type OperationName, type RunVerdict, operations } from './operations.js';
import { type RunHook, addRunHook } from './run-hooks.js';

/** A run whose verdict is final: what {@link RunSubscriber.finish} receives. */
export type FinishedRun = OperationMessage & { readonly verdict: RunVerdict };

/** What a signal does with the runs of the operations it follows. */
export interface RunSubscriber {
  /** Who subscribes (`log`, `metrics`, `trace`, `compliance`): names its failures in diagnostics and counts. */
  readonly source: string;
  /** Operations to follow. */
  readonly operations: readonly OperationName[];
  /** Called when a run starts, before `fn` runs (for example to audit a submission). */
  readonly start?: (message: OperationMessage) => void;
  /**
   * The context `fn` runs in, derived from the run's own (entered on core's one AsyncLocalStorage
   * for `fn` and the run's last events): how a tracer makes its span active while `fn` runs.
   */
  readonly bindContext?: (message: OperationMessage) => JtsContext;
  /** Called exactly once per run, when its verdict is final, in the context bound at its start. */
  readonly finish: (run: FinishedRun) => void;
}

/** Failures of run subscribers, by source (`stats:core` in `@jts/metrics`). */
export interface RunSubscriberStats {
  /** Subscriber calls that threw and were contained, by source. */
  readonly failures: Readonly<Record<string, number>>;
}

const failures = new Map<string, number>();

/**
 * Counts of subscriber failures contained so far, by source.
 *
 * @returns a snapshot
 */
export function runSubscriberStats(): RunSubscriberStats {
  return { failures: Object.fromEntries(failures) };
}

/**
 * Subscribes a signal to the runs of some operations, the one way every JTS signal does: its
 * `finish` is called exactly once per run with the verdict core computed (a synchronous run when
 * `fn` returns, any other when it settles or `end()` is called, before the channel's `end` or
 * `asyncEnd` event), and nothing it does can reach the run: a throw is caught, counted under
 * `source` and reported on `jts:diagnostics`. Core calls the callbacks directly rather than
 * through the operation's diagnostics channel, which it publishes to only when something else
 * subscribes there.
 *
 * @param subscriber - source, operations and callbacks
 * @returns a function that unsubscribes (idempotent)
 * @example
 * const stop = subscribeRuns({ source: 'my-apm', operations: ['order.execution'], finish: (run) => record(run.verdict) });
 */
export function subscribeRuns(subscriber: RunSubscriber): () => void {
  const { source } = subscriber;
  const contain = (event: string, error: unknown) => {
    failures.set(source, (failures.get(source) ?? 0) + 1);
    reportDiagnostic({
      source,
      event: `run_${event}_failed`,
      message: `${source} failed to observe a run (${event})`,
      error,
    });
  };
  const onFinish = subscriber.finish;
  const onStart = subscriber.start;
  const bindContext = subscriber.bindContext;
  // Core calls these directly (see run-hooks): `finish` once per run when its verdict is final,
  // `start` and `bind` when it starts; each contained here.
  const hook: RunHook = {
    finish: (message: OperationMessage) => {
      try {
        onFinish(message as FinishedRun);
      } catch (error) {
        contain('finish', error);
      }
    },
    start:
      onStart === undefined
        ? undefined
        : (message: OperationMessage) => {
            try {
              onStart(message);
            } catch (error) {
              contain('start', error);
            }
          },
    bind:
      bindContext === undefined
        ? undefined
        : (message: OperationMessage) => {
            try {
              return bindContext(message);
            } catch (error) {
              contain('bind', error);
              return message.context;
            }
          },
  } as RunHook;
  const removers = [...new Set(subscriber.operations)].map((name) => addRunHook(operations[name].name, hook));
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    for (const remove of removers) remove();
  };
}
