import type { AsyncLocalStorage } from 'node:async_hooks';
import { contextStorage, type JtsContext } from './context.js';
import { reportDiagnostic } from './diagnostics.js';
import { type OperationMessage, type OperationName, type RunVerdict, operations } from './operations.js';

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
   * The context `fn` runs in, derived from the run's own (bound with `start.bindStore` on core's
   * one AsyncLocalStorage): how a tracer makes its span active while `fn` runs.
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

/** The start channel typed for core's store (Node types `bindStore` with the message type). */
interface BindableChannel {
  bindStore(store: AsyncLocalStorage<JtsContext>, transform: (message: OperationMessage) => JtsContext): void;
  unbindStore(store: AsyncLocalStorage<JtsContext>): boolean;
}

/**
 * Subscribes a signal to the runs of some operations, the one way every JTS signal does: its
 * `finish` is called exactly once per run with the verdict core computed (a synchronous run at
 * `end`, any other at `asyncEnd`), and nothing it does can reach the run: a throw is caught,
 * counted under `source` and reported on `jts:diagnostics`.
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
  const finish = (message: OperationMessage) => {
    try {
      subscriber.finish(message as FinishedRun);
    } catch (error) {
      contain('finish', error);
    }
  };
  const handlers: Record<string, (message: unknown) => void> = {
    // A synchronous run's verdict is final at `end`; any other run's at `asyncEnd`.
    end: (message) => {
      if ((message as OperationMessage).async === false) finish(message as OperationMessage);
    },
    asyncEnd: (message) => finish(message as OperationMessage),
  };
  const onStart = subscriber.start;
  if (onStart !== undefined) {
    handlers.start = (message) => {
      try {
        onStart(message as OperationMessage);
      } catch (error) {
        contain('start', error);
      }
    };
  }
  const bindContext = subscriber.bindContext;
  const transform =
    bindContext === undefined
      ? undefined
      : (message: OperationMessage) => {
          try {
            return bindContext(message);
          } catch (error) {
            contain('bind', error);
            return message.context;
          }
        };
  const storage = contextStorage();
  const channels = subscriber.operations.map((name) => operations[name].channel);
  for (const channel of channels) {
    if (transform !== undefined) (channel.start as unknown as BindableChannel).bindStore(storage, transform);
    channel.subscribe(handlers as never);
  }
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    for (const channel of channels) {
      if (transform !== undefined) (channel.start as unknown as BindableChannel).unbindStore(storage);
      channel.unsubscribe(handlers as never);
    }
  };
}
