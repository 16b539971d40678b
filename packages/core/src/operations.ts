import { AsyncResource } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import { contextStorage, createContext, type ContextInit, type JtsContext } from './context.js';
import type { OperationAttributeTypes } from './operation-attributes.js';
import { reportDiagnostic } from './diagnostics.js';
import { type RunHook, hooksOf } from './run-hooks.js';
import { errorTypeOf, httpOutcomeOf, normalizeOutcome, type OutcomeClass, outcomeClassOf } from './run-outcome.js';

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

/** How an operation ended: `success`, `error`, or another outcome set with `setOutcome` (`rejected`). */
export type OperationStatus = 'success' | 'error' | (string & {});

/**
 * Attributes of a run of an operation defined with {@link defineOperation} without a type:
 * trading fields, a correlation ID, and any operation-specific attributes. The built-in operations
 * have closed types ({@link OperationAttributeTypes}).
 */
export interface OperationAttributes extends ContextInit {
  [attribute: string]: unknown;
}

/**
 * The verdict of one run, computed once by core when the run ends: every signal reports this
 * and nothing else (see `OUTCOME_SIGNALS` and `docs/reference/operations.md`).
 */
export interface RunVerdict {
  /** `success`, `error`, `timeout`, or a business outcome (`rejected`, `aborted`, `client_error`, ...). */
  readonly outcome: OperationStatus;
  /** Class of the outcome: how every signal reports it. */
  readonly outcomeClass: OutcomeClass;
  /** For the `error` class: the failure's classifier (`ETIMEDOUT`, `RangeError`, what `setOutcome` gave). */
  readonly errorType: string | undefined;
  /** For the `business` class: its classifier, e.g. `insufficient_margin` for `setOutcome('rejected', 'insufficient_margin')`. */
  readonly reason: string | undefined;
  /** Milliseconds from the start of the run to its end, measured once (monotonic clock). */
  readonly durationMs: number;
  /** What `fn` threw or its promise rejected with, or what `recordError` recorded. */
  readonly error: unknown;
}

/**
 * The message published on `jts:<operation>` at start, end, asyncStart, asyncEnd and error:
 * the same object for every event of one run, so subscribers can keep per-run state on it under
 * their own symbol keys. Public API: see `docs/reference/operations.md`.
 */
export interface OperationMessage<A = OperationAttributes> {
  /** Which operation ran. */
  readonly operation: OperationName;
  /** The attributes given when the run started, as given (never modified). */
  readonly attributes: A;
  /** Attributes set later with `scope.setAttributes` (a route once routed, a status once answered). */
  readonly updates: Readonly<Partial<A>> | undefined;
  /** The context `fn` runs in (correlation ID and merged trading fields). */
  readonly context: JtsContext;
  /** Outcome so far: what `setOutcome` set; final (the verdict's outcome) from the last event on. */
  status: OperationStatus | undefined;
  /** Classifier given to `setOutcome`, or of the error thrown. */
  errorType: string | undefined;
  /** Whether the run ends after `end` (a promise, or a run started with `start`); set before `end`. */
  async: boolean | undefined;
  /** What `fn` returned (or its promise resolved to); set before `end` / `asyncEnd`. */
  result?: unknown;
  /** What `fn` threw (or its promise rejected with); set before `error`. */
  error?: unknown;
  /** The verdict: set before the run's last event (`end` for a synchronous run, `asyncEnd` otherwise). */
  readonly verdict: RunVerdict | undefined;
  /**
   * One attribute: the latest value given to `setAttributes`, else the one given at start.
   *
   * @param name - attribute name
   */
  attribute<K extends keyof A & string>(name: K): A[K] | undefined;
  /** Subscribers keep their own per-run state under symbol keys. */
  [state: symbol]: unknown;
}

/** Handle given to the wrapped function to describe its run without throwing. */
export interface OperationScope<A = OperationAttributes> {
  /** The run's message (read-only view for the wrapped function). */
  readonly message: OperationMessage<A>;
  /**
   * Sets the outcome, e.g. `setOutcome('rejected', 'insufficient_margin')` for an order the broker
   * refused without an exception. Outcomes are normalised to `[a-z0-9_]{1,32}`; `failure` means
   * `error`; see `OUTCOME_SIGNALS` for how each signal reports it.
   */
  setOutcome(outcome: OperationStatus, detail?: string): void;
  /** Adds attributes learnt while running (an HTTP status, a route); the start attributes stay as given. */
  setAttributes(attributes: Partial<A>): void;
  /** Keeps an error for the verdict (logged, recorded on the span) without throwing it; outcome `error` unless set. */
  recordError(error: unknown): void;
}

/** Scope of a run started with {@link Operation.start}: it ends when `end()` is called. */
export interface OpenOperationScope<A = OperationAttributes> extends OperationScope<A> {
  /** Ends the run with what was set so far. Idempotent: later calls do nothing. */
  end(): void;
  /** Whether `end()` was called (or `fn` threw, which ends the run at once). */
  readonly ended: boolean;
}

const NO_UPDATES = undefined;
// `updates` is built with Object.assign on a new object, never with a spread: V8 gives an object
// made by `{ ...attributes }` a map outside the transition tree, so every property added to it later
// (the status after the route) makes a new map; measured about 1 µs per HTTP request against
// 0.1 µs this way (Node 20). The object has no prototype, so an own `__proto__` key in what a caller
// passes (parsed JSON) is kept as an attribute like any other, never set as a prototype.
const newUpdates = <A>(): Partial<A> => Object.create(null) as Partial<A>;

class Verdict implements RunVerdict {
  constructor(
    readonly outcome: OperationStatus,
    readonly outcomeClass: OutcomeClass,
    readonly errorType: string | undefined,
    readonly reason: string | undefined,
    readonly durationMs: number,
    readonly error: unknown,
  ) {}
}

class Run<A extends ContextInit> implements OperationMessage<A>, OpenOperationScope<A> {
  status: OperationStatus | undefined = undefined;
  errorType: string | undefined = undefined;
  async: boolean | undefined = undefined;
  result: unknown = undefined;
  error: unknown = undefined;
  updates: Partial<A> | undefined = NO_UPDATES;
  verdict: RunVerdict | undefined = undefined;
  startedAt = 0;
  failed = false;
  ended = false;
  // For runs started with `start`: the async context `end()` publishes in (every store bound at
  // start, ours and other tools'), and whether `fn` is still on the stack.
  resource: AsyncResource | undefined = undefined;
  inside = false;
  [state: symbol]: unknown;

  constructor(
    readonly operation: OperationName,
    readonly attributes: A,
    readonly context: JtsContext,
    readonly publishing: OperationPublisher,
  ) {}

  get message(): OperationMessage<A> {
    return this;
  }

  attribute<K extends keyof A & string>(name: K): A[K] | undefined {
    const updated = this.updates?.[name];
    return updated !== undefined ? (updated as A[K]) : this.attributes[name];
  }

  setOutcome(outcome: OperationStatus, detail?: string): void {
    if (this.verdict !== undefined) return;
    this.status = normalizeOutcome(outcome);
    this.errorType = typeof detail === 'string' && detail !== '' ? detail : undefined;
  }

  setAttributes(attributes: Partial<A>): void {
    if (this.verdict !== undefined || attributes === null || typeof attributes !== 'object') return;
    this.updates = Object.assign(this.updates ?? newUpdates<A>(), attributes);
  }

  recordError(error: unknown): void {
    if (this.verdict !== undefined) return;
    this.failed = true;
    this.error = error;
  }

  end(): void {
    this.endRun(false);
  }

  /**
   * Ends the run now (its verdict and duration are decided at once) and publishes it to the
   * signals with the other runs ended in the same event-loop turn, at the turn's check phase
   * (see {@link endWithTurn}).
   */
  endWithTurn(): void {
    this.endRun(true);
  }

  private endRun(withTurn: boolean): void {
    if (this.ended) return;
    this.ended = true;
    // `fn` has not returned yet: `end` is published first, then this run's last events.
    if (this.inside) return;
    if (withTurn) {
      this.decide();
      queueEnded(this);
    } else this.publishing.finishOpen(this);
  }

  /** Computes the verdict, once. */
  decide(): void {
    if (this.verdict !== undefined) return;
    const durationMs = performance.now() - this.startedAt;
    let outcome = this.status;
    if (outcome === undefined && this.operation === 'http.server.request') {
      const statusCode = this.attribute('statusCode' as keyof A & string);
      if (typeof statusCode === 'number') {
        outcome = httpOutcomeOf(statusCode);
        // OpenTelemetry's HTTP conventions: a 5xx without an exception has the status as its error type.
        if (outcome === 'server_error' && !this.failed) this.errorType ??= String(statusCode);
      }
    }
    outcome ??= this.failed ? 'error' : 'success';
    const outcomeClass = outcomeClassOf(outcome);
    if (outcomeClass === 'error' && this.errorType === undefined)
      this.errorType = this.failed ? errorTypeOf(this.error) : outcome;
    this.status = outcome;
    this.verdict = new Verdict(
      outcome,
      outcomeClass,
      outcomeClass === 'error' ? this.errorType : undefined,
      outcomeClass === 'business' ? this.errorType : undefined,
      durationMs,
      this.error,
    );
  }
}

/**
 * The scope of a run nobody observes: the same API at the cost of three fields, since nothing will
 * read a verdict (the hot path of an order wrapped by an operation no signal listens to).
 */
class InertRun<A extends ContextInit> implements OperationMessage<A>, OpenOperationScope<A> {
  status: OperationStatus | undefined = undefined;
  errorType: string | undefined = undefined;
  ended = false;
  declare async: boolean | undefined;
  declare result: unknown;
  declare error: unknown;
  declare updates: Partial<A> | undefined;
  declare verdict: RunVerdict | undefined;
  [state: symbol]: unknown;

  constructor(
    readonly operation: OperationName,
    readonly attributes: A,
    readonly context: JtsContext,
  ) {}

  get message(): OperationMessage<A> {
    return this;
  }

  attribute<K extends keyof A & string>(name: K): A[K] | undefined {
    const updated = this.updates?.[name];
    return updated !== undefined ? (updated as A[K]) : this.attributes[name];
  }

  setOutcome(outcome: OperationStatus, detail?: string): void {
    this.status = normalizeOutcome(outcome);
    this.errorType = typeof detail === 'string' && detail !== '' ? detail : undefined;
  }

  setAttributes(attributes: Partial<A>): void {
    if (attributes !== null && typeof attributes === 'object')
      this.updates = Object.assign(this.updates ?? newUpdates<A>(), attributes);
  }

  recordError(error: unknown): void {
    this.error = error;
  }

  end(): void {
    this.ended = true;
  }
}

/** What a run needs from its operation to publish (internal). */
interface OperationPublisher {
  finishOpen(run: Run<ContextInit>): void;
}

// ENDED_RUNS: open runs ended with `endWithTurn`, waiting for the check phase of the turn they
// ended in. Under load a turn ends many HTTP requests; publishing them one after another, with
// nothing in between, keeps the signals' code and data in the core's caches instead of reloading
// them between the socket writes of every request (docs/guides/node-http.md, "Cost"). Process-wide
// like the run hooks, so a flush through either copy of @jts/core (ESM and CommonJS) publishes all.
const ENDED_KEY = Symbol.for('jts.core.ended-runs.v1');
interface EndedRuns {
  runs: Run<ContextInit>[];
  scheduled: boolean;
}
type GlobalWithEnded = typeof globalThis & { [ENDED_KEY]?: EndedRuns };
const endedRuns: EndedRuns = ((globalThis as GlobalWithEnded)[ENDED_KEY] ??= { runs: [], scheduled: false });

function queueEnded(run: Run<ContextInit>): void {
  endedRuns.runs.push(run);
  if (endedRuns.scheduled) return;
  endedRuns.scheduled = true;
  setImmediate(publishAtCheck);
}

function publishAtCheck(): void {
  endedRuns.scheduled = false;
  publishEndedRuns();
}

/**
 * Publishes every run ended with {@link endWithTurn} that waits for its turn's end, now. The JTS
 * signals call it before they flush, close or render (a logger's `flush`, a tracer's
 * `forceFlush`, a metrics scrape, the exit flush), so nothing ended is left behind.
 *
 * @internal
 */
export function publishEndedRuns(): void {
  while (endedRuns.runs.length > 0) {
    const runs = endedRuns.runs;
    endedRuns.runs = [];
    for (let index = 0; index < runs.length; index++) {
      const run = runs[index] as Run<ContextInit>;
      try {
        run.publishing.finishOpen(run);
      } catch (error) {
        // The signals' hooks are contained; this is the last guard, so one run cannot keep the
        // others of its turn from being published.
        reportDiagnostic({
          source: 'core',
          event: 'publish_failed',
          message: `publishing the end of a ${run.operation} run failed`,
          error,
        });
      }
    }
  }
}

/**
 * Ends a run started with {@link Operation.start} like `scope.end()`, except that the signals see
 * it at the end of the current event-loop turn, together with the other runs ended in that turn:
 * the verdict (outcome and duration) is decided now, and nothing set on the scope afterwards
 * changes it. For adapters ending runs from events (an HTTP response's `finish` or `close`), where
 * nothing waits for the signals in the same turn. Any other scope is ended with `end()`.
 *
 * @param scope - the scope given to `start`'s function
 * @internal
 */
export function endWithTurn<A>(scope: OpenOperationScope<A>): void {
  // By shape, not class: a run of the other copy of @jts/core (ESM beside CommonJS) has it too.
  const run = scope as OpenOperationScope<A> & { endWithTurn?: () => void };
  if (typeof run.endWithTurn === 'function') run.endWithTurn();
  else scope.end();
}

/** One trading operation: a `diagnostics_channel` tracing channel plus its runners. */
export interface Operation<A = OperationAttributes> {
  /** The operation name. */
  readonly name: OperationName;
  /** Channel prefix: events are published on `tracing:jts:<name>:start|end|asyncStart|asyncEnd|error`. */
  readonly channelName: string;
  /**
   * The Node tracing channel, for subscribers (`subscribe`, `start.bindStore`, ...). Its messages
   * are typed loosely ({@link OperationMessage} of any attributes) so one subscriber serves every operation.
   */
  readonly channel: diagnosticsChannel.TracingChannel<unknown, OperationMessage>;
  /**
   * Runs `fn` inside a child context carrying `attributes` and publishes the run on the tracing
   * channel when someone listens. The run ends when `fn` returns, throws, or (for a native
   * promise) settles. Returns what `fn` returned; see `docs/reference/operations.md` for promises
   * and other thenables.
   */
  run<R>(attributes: A, fn: (scope: OperationScope<A>) => R): R;
  /**
   * Runs `fn` like {@link run}, but the run ends when `scope.end()` is called, not when `fn`
   * returns: for lifecycles driven by events, such as an HTTP response's `close`. If `fn` throws,
   * the run ends at once with that error.
   */
  start<R>(attributes: A, fn: (scope: OpenOperationScope<A>) => R): R;
  /** Whether any signal currently listens to this operation. */
  readonly hasSubscribers: boolean;
}

/**
 * Defines an operation on `tracingChannel('jts:<name>')`. The six built-in operations are
 * exported ready-made and typed; calling this again for the same name returns an equivalent
 * object bound to the same channel.
 *
 * @param name - one of {@link OPERATION_NAMES}
 * @returns the operation
 * @example
 * const riskCheck = defineOperation<TradingRunAttributes>('risk.check');
 */
export function defineOperation<A extends ContextInit = OperationAttributes>(name: OperationName): Operation<A> {
  const channelName = `jts:${name}`;
  const channel = diagnosticsChannel.tracingChannel<unknown, OperationMessage>(channelName);
  const { start, end, asyncStart, asyncEnd, error } = channel;
  const storage = contextStorage();

  // The signals (subscribeRuns) are called directly; the channel is published to for anyone else.
  const hooks = hooksOf(name);
  const channelListened = () =>
    start.hasSubscribers ||
    end.hasSubscribers ||
    asyncStart.hasSubscribers ||
    asyncEnd.hasSubscribers ||
    error.hasSubscribers;
  const listened = () => hooks.all.length > 0 || channelListened();

  // The context `fn` runs in: the run's own, or what the last binding hook derives from it.
  const contextFor = (run: Run<A>): JtsContext => {
    const binds = hooks.binds;
    let context = run.context;
    for (let index = 0; index < binds.length; index++) context = (binds[index] as RunHook).bind!(run as never);
    return context;
  };
  const callStarts = (run: Run<A>) => {
    const starts = hooks.starts;
    for (let index = 0; index < starts.length; index++) (starts[index] as RunHook).start!(run as never);
  };
  const callFinishes = (run: Run<A>) => {
    const all = hooks.all;
    for (let index = 0; index < all.length; index++) (all[index] as RunHook).finish(run as never);
  };

  const finishSync = (run: Run<A>) => {
    run.async = false;
    run.decide();
    callFinishes(run);
    if (run.failed) error.publish(run as never);
    end.publish(run as never);
  };
  // The last events of an asynchronous run, in the context bound at its start.
  const finishAsync = (run: Run<A>) => {
    run.ended = true;
    run.decide();
    callFinishes(run);
    if (run.failed) error.publish(run as never);
    asyncStart.publish(run as never);
    asyncEnd.publish(run as never);
  };
  const publisher: OperationPublisher = {
    finishOpen: (run) => {
      const open = run as unknown as Run<A>;
      if (open.resource === undefined) storage.run(open.context, finishAsync, open);
      else open.resource.runInAsyncScope(finishAsync, undefined, open);
    },
  };

  // Mirrors TracingChannel.traceSync / tracePromise, but decides after the call whether the
  // result is a native promise, so one `run` serves sync and async work on every Node version.
  const tracedBody = <R>(run: Run<A>, fn: (scope: OperationScope<A>) => R): R => {
    let result: R;
    try {
      result = fn(run);
    } catch (thrown) {
      run.recordError(thrown);
      finishSync(run);
      throw thrown;
    }
    // Only a native promise is followed: calling `then` on another thenable (a lazy query
    // builder) could run it, so it is returned untouched and the run ends here.
    if (!(result instanceof Promise)) {
      run.result = result;
      finishSync(run);
      return result;
    }
    run.async = true;
    end.publish(run as never);
    return result.then(
      (value: unknown) => {
        run.result = value;
        finishAsync(run);
        return value;
      },
      (thrown: unknown) => {
        run.recordError(thrown);
        finishAsync(run);
        throw thrown;
      },
    ) as R;
  };
  // In the bound context: the start hooks, then the channel's start (its own stores and
  // subscribers) when anyone listens there, then `fn`.
  const traced = <R>(run: Run<A>, fn: (scope: OperationScope<A>) => R): R => {
    callStarts(run);
    return start.hasSubscribers
      ? start.runStores(run as never, tracedBody as (run: Run<A>, fn: unknown) => R, undefined, run, fn)
      : tracedBody(run, fn);
  };

  const tracedOpenBody = <R>(run: Run<A>, fn: (scope: OpenOperationScope<A>) => R): R => {
    run.resource = new AsyncResource('jts:run');
    run.inside = true;
    let result: R;
    try {
      result = fn(run);
    } catch (thrown) {
      run.inside = false;
      run.ended = true;
      run.recordError(thrown);
      finishSync(run);
      throw thrown;
    }
    run.inside = false;
    run.async = true;
    end.publish(run as never);
    if (run.ended) finishAsync(run);
    return result;
  };
  const tracedOpen = <R>(run: Run<A>, fn: (scope: OpenOperationScope<A>) => R): R => {
    callStarts(run);
    return start.hasSubscribers
      ? start.runStores(run as never, tracedOpenBody as (run: Run<A>, fn: unknown) => R, undefined, run, fn)
      : tracedOpenBody(run, fn);
  };

  const begin = (attributes: A) => {
    const run = new Run<A>(name, attributes, createContext(attributes, storage.getStore()), publisher);
    run.startedAt = performance.now();
    return run;
  };
  const inert = (attributes: A) => new InertRun<A>(name, attributes, createContext(attributes, storage.getStore()));

  return {
    name,
    channelName,
    channel,
    get hasSubscribers() {
      return listened();
    },
    run<R>(attributes: A, fn: (scope: OperationScope<A>) => R): R {
      if (!listened()) {
        const run = inert(attributes);
        return storage.run(run.context, fn, run);
      }
      const run = begin(attributes);
      return storage.run(contextFor(run), traced<R>, run, fn);
    },
    start<R>(attributes: A, fn: (scope: OpenOperationScope<A>) => R): R {
      if (!listened()) {
        const run = inert(attributes);
        return storage.run(run.context, fn, run);
      }
      const run = begin(attributes);
      return storage.run(contextFor(run), tracedOpen<R>, run, fn);
    },
  };
}

/** `order.execution`: submitting an order to a broker or exchange. */
export const orderExecution: Operation<OperationAttributeTypes['order.execution']> = defineOperation('order.execution');
/** `strategy.execution`: one evaluation of a trading strategy. */
export const strategyExecution: Operation<OperationAttributeTypes['strategy.execution']> =
  defineOperation('strategy.execution');
/** `market_data.processing`: handling one market-data update. */
export const marketDataProcessing: Operation<OperationAttributeTypes['market_data.processing']> =
  defineOperation('market_data.processing');
/** `broker.api_call`: an outgoing call to a broker API. */
export const brokerApiCall: Operation<OperationAttributeTypes['broker.api_call']> = defineOperation('broker.api_call');
/** `risk.check`: a pre-trade risk check. */
export const riskCheck: Operation<OperationAttributeTypes['risk.check']> = defineOperation('risk.check');
/** `http.server.request`: one incoming HTTP request (driven by the adapters). */
export const httpServerRequest: Operation<OperationAttributeTypes['http.server.request']> =
  defineOperation('http.server.request');

/** Every built-in operation by name, each with its attribute type. */
export const operations: Readonly<{ [N in OperationName]: Operation<OperationAttributeTypes[N]> }> = Object.freeze({
  'order.execution': orderExecution,
  'strategy.execution': strategyExecution,
  'market_data.processing': marketDataProcessing,
  'broker.api_call': brokerApiCall,
  'risk.check': riskCheck,
  'http.server.request': httpServerRequest,
});
