import diagnosticsChannel from 'node:diagnostics_channel';
import { contextStorage, createContext, type ContextInit, type JtsContext } from './context.js';

/** The trading operations every JTS signal understands. */
export const OPERATION_NAMES = [
  'order.execution',
  'strategy.execution',
  'market_data.processing',
  'broker.api_call',
  'risk.check',
  'http.server.request',
] as const;

/** Name of one operation, e.g. `order.execution`. */
export type OperationName = (typeof OPERATION_NAMES)[number];

/** How an operation ended. `fn` may set it; otherwise `success`, or `error` when it throws. */
export type OperationStatus = 'success' | 'error' | (string & {});

/**
 * Attributes of one run: trading fields (they enter the context), a correlation ID, and any
 * operation-specific attributes (HTTP method and route, broker endpoint, ...).
 */
export interface OperationAttributes extends ContextInit {
  [attribute: string]: unknown;
}

/**
 * The message published on `jts:<operation>` at start, end, asyncStart, asyncEnd and error:
 * the same object for every event of one run, so subscribers can keep per-run state on it under
 * their own symbol keys. Public API: see `docs/reference/operations.md`.
 */
export interface OperationMessage<A extends OperationAttributes = OperationAttributes> {
  /** Which operation ran. */
  readonly operation: OperationName;
  /** The attributes given to `run`, as given. */
  readonly attributes: A;
  /** The context `fn` runs in (correlation ID and merged trading fields). */
  readonly context: JtsContext;
  /** Outcome: set by `fn` through {@link OperationScope.setOutcome}, else `success` / `error`. */
  status: OperationStatus | undefined;
  /** Classifier of a failure (`timeout`, `insufficient_margin`, an error's name). */
  errorType: string | undefined;
  /**
   * Whether `fn` returned a promise (set before `end`): a subscriber that finishes its work at
   * `end` when this is false and at `asyncEnd` when it is true handles both kinds of `fn`.
   */
  async: boolean | undefined;
  /** What `fn` returned (or its promise resolved to); set before `end` / `asyncEnd`. */
  result?: unknown;
  /** What `fn` threw (or its promise rejected with); set before `error`. */
  error?: unknown;
  /** Subscribers keep their own per-run state under symbol keys. */
  [state: symbol]: unknown;
}

/** Handle given to the wrapped function to report its outcome without throwing. */
export interface OperationScope<A extends OperationAttributes = OperationAttributes> {
  /** The run's message (read-only view for the wrapped function). */
  readonly message: OperationMessage<A>;
  /**
   * Sets the outcome, e.g. `setOutcome('rejected', 'insufficient_margin')` for an order the
   * broker refused without an exception.
   */
  setOutcome(status: OperationStatus, errorType?: string): void;
}

class Run<A extends OperationAttributes> implements OperationMessage<A>, OperationScope<A> {
  status: OperationStatus | undefined = undefined;
  errorType: string | undefined = undefined;
  async: boolean | undefined = undefined;
  result?: unknown;
  error?: unknown;
  [state: symbol]: unknown;

  constructor(
    readonly operation: OperationName,
    readonly attributes: A,
    readonly context: JtsContext,
  ) {}

  get message(): OperationMessage<A> {
    return this;
  }

  setOutcome(status: OperationStatus, errorType?: string): void {
    this.status = status;
    this.errorType = errorType;
  }
}

/** One trading operation: a `diagnostics_channel` tracing channel plus a runner. */
export interface Operation<A extends OperationAttributes = OperationAttributes> {
  /** The operation name. */
  readonly name: OperationName;
  /** Channel prefix: events are published on `tracing:jts:<name>:start|end|asyncStart|asyncEnd|error`. */
  readonly channelName: string;
  /** The Node tracing channel, for subscribers (`subscribe`, `start.bindStore`, ...). */
  readonly channel: diagnosticsChannel.TracingChannel<unknown, OperationMessage<A>>;
  /**
   * Runs `fn` (sync or async) inside a child context carrying `attributes`, and publishes the
   * run on the tracing channel when someone listens. Never changes `fn`'s result or error.
   */
  run<R>(attributes: A, fn: (scope: OperationScope<A>) => R): R;
  /** Whether any signal currently listens to this operation. */
  readonly hasSubscribers: boolean;
}

function errorTypeOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code.length <= 64 ? code : error.name;
  }
  return typeof error;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Defines an operation on `tracingChannel('jts:<name>')`. The six built-in operations are
 * exported ready-made; calling this again for the same name returns an equivalent object
 * bound to the same channel.
 *
 * @param name - one of {@link OPERATION_NAMES}
 * @returns the operation
 */
export function defineOperation<A extends OperationAttributes = OperationAttributes>(name: OperationName): Operation<A> {
  const channelName = `jts:${name}`;
  const channel = diagnosticsChannel.tracingChannel<unknown, OperationMessage<A>>(channelName);
  const { start, end, asyncStart, asyncEnd, error } = channel;
  const storage = contextStorage();

  const listened = () =>
    start.hasSubscribers || end.hasSubscribers || asyncStart.hasSubscribers || asyncEnd.hasSubscribers || error.hasSubscribers;

  // Mirrors TracingChannel.traceSync / tracePromise, but decides after the call whether the
  // result is a promise, so one `run` serves sync and async work on every Node version.
  const traced = <R>(run: Run<A>, fn: (scope: OperationScope<A>) => R): R =>
    start.runStores(run, () => {
      let result: R;
      try {
        result = fn(run);
      } catch (thrown) {
        run.async = false;
        run.error = thrown;
        run.status ??= 'error';
        run.errorType ??= errorTypeOf(thrown);
        error.publish(run);
        end.publish(run);
        throw thrown;
      }
      if (!isThenable(result)) {
        run.async = false;
        run.result = result;
        run.status ??= 'success';
        end.publish(run);
        return result;
      }
      run.async = true;
      end.publish(run);
      return Promise.resolve(result).then(
        (value) => {
          run.result = value;
          run.status ??= 'success';
          asyncStart.publish(run);
          asyncEnd.publish(run);
          return value;
        },
        (thrown: unknown) => {
          run.error = thrown;
          run.status ??= 'error';
          run.errorType ??= errorTypeOf(thrown);
          error.publish(run);
          asyncStart.publish(run);
          asyncEnd.publish(run);
          throw thrown;
        },
      ) as R;
    });

  return {
    name,
    channelName,
    channel,
    get hasSubscribers() {
      return listened();
    },
    run<R>(attributes: A, fn: (scope: OperationScope<A>) => R): R {
      const run = new Run(name, attributes, createContext(attributes, storage.getStore()));
      if (!listened()) return storage.run(run.context, fn, run);
      return storage.run(run.context, traced<R>, run, fn);
    },
  };
}

/** `order.execution`: submitting an order to a broker or exchange. */
export const orderExecution: Operation = defineOperation('order.execution');
/** `strategy.execution`: one evaluation of a trading strategy. */
export const strategyExecution: Operation = defineOperation('strategy.execution');
/** `market_data.processing`: handling one market-data update. */
export const marketDataProcessing: Operation = defineOperation('market_data.processing');
/** `broker.api_call`: an outgoing call to a broker API. */
export const brokerApiCall: Operation = defineOperation('broker.api_call');
/** `risk.check`: a pre-trade risk check. */
export const riskCheck: Operation = defineOperation('risk.check');
/** `http.server.request`: one incoming HTTP request (driven by the adapters). */
export const httpServerRequest: Operation = defineOperation('http.server.request');

/** Every built-in operation by name. */
export const operations: Readonly<Record<OperationName, Operation>> = Object.freeze({
  'order.execution': orderExecution,
  'strategy.execution': strategyExecution,
  'market_data.processing': marketDataProcessing,
  'broker.api_call': brokerApiCall,
  'risk.check': riskCheck,
  'http.server.request': httpServerRequest,
});
