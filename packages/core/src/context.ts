import { AsyncLocalStorage } from 'node:async_hooks';
import { acceptCorrelationId, isLastGeneratedCorrelationId, newCorrelationId } from './correlation-id.js';
import type { TradingFields } from './conventions.js';
import { mergeTradingFields } from './internal/merge-fields.js';

/**
 * The correlation context of one unit of work (a request, an order, a message). Immutable:
 * nested scopes get a new context that inherits the parent's fields.
 */
export interface JtsContext {
  /** Correlation ID shared by every log line, span, metric exemplar and audit record of the flow. */
  readonly correlationId: string;
  /** Trading fields visible in this scope (the parent's merged with this scope's own). */
  readonly fields: Readonly<TradingFields>;
  /** The same fields under their `trading.*` attribute keys, computed once per context. */
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * A value another package keeps in this context under its own symbol (for example the
   * OpenTelemetry context, so one AsyncLocalStorage serves both).
   */
  slot(key: symbol): unknown;
}

/** What a new context starts from: trading fields and, optionally, a correlation ID. */
export interface ContextInit extends TradingFields {
  /** Correlation ID; validated like an incoming header, generated when absent or invalid. */
  correlationId?: string;
}

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/** Per-scope slots as a chain: adding one is an allocation, not a copy of every other slot. */
interface SlotLink {
  readonly key: symbol;
  readonly value: unknown;
  readonly next: SlotLink | undefined;
}

interface MemoLink {
  readonly key: object;
  readonly value: unknown;
  readonly next: MemoLink | undefined;
}

class ContextRecord implements JtsContext {
  #id: string | undefined;
  // Whether core generated #id (for this context or an ancestor): the signals write such an ID as
  // it is, and knowing it here spares each of them a check of its form.
  #generated: boolean;
  #memo: MemoLink | undefined = undefined;
  #fields: Readonly<TradingFields> | undefined;
  #attributes: Readonly<Record<string, string>> | undefined;

  constructor(
    correlationId: string | undefined,
    private readonly parent: JtsContext | undefined,
    private readonly own: Readonly<Record<string, unknown>> | undefined,
    readonly slots: SlotLink | undefined,
    generated: boolean,
  ) {
    this.#id = correlationId;
    this.#generated = generated;
  }

  // A root made only to carry a slot (an OpenTelemetry context outside any JTS scope) mints its
  // correlation ID when somebody first asks for it, not on every context switch.
  get correlationId(): string {
    if (this.#id === undefined) {
      const parent = this.parent;
      if (parent === undefined) {
        this.#id = newCorrelationId();
        this.#generated = true;
      } else {
        this.#id = parent.correlationId;
        this.#generated = parent instanceof ContextRecord && parent.#generated;
      }
    }
    return this.#id;
  }

  /** Whether core generated the correlation ID (read after it, since reading it may mint it). */
  get generatedId(): boolean {
    if (this.#id === undefined) void this.correlationId;
    return this.#generated;
  }

  // Fields and attributes are merged on first read, not when the scope is entered: most hot-path
  // scopes (an order wrapped by an operation nobody listens to) never read them. A scope without
  // trading fields of its own shares its parent's objects.
  #merge(): void {
    const parent = this.parent;
    const own = this.own;
    const merged = own === undefined ? undefined : mergeTradingFields(own, parent?.fields);
    if (merged === undefined) {
      this.#fields = parent?.fields ?? EMPTY;
      this.#attributes = parent?.attributes ?? EMPTY;
      return;
    }
    this.#fields = merged.fields;
    this.#attributes = merged.attributes;
  }

  get fields(): Readonly<TradingFields> {
    if (this.#fields === undefined) this.#merge();
    return this.#fields!;
  }

  get attributes(): Readonly<Record<string, string>> {
    if (this.#attributes === undefined) this.#merge();
    return this.#attributes!;
  }

  slot(key: symbol): unknown {
    for (let link = this.slots; link !== undefined; link = link.next) if (link.key === key) return link.value;
    return undefined;
  }

  /** What `compute` derives from this context's correlation ID and trading fields, computed once. */
  memo<T>(key: object, compute: (context: JtsContext) => T): T {
    // A context that only adds a slot (a tracer's span) has its parent's ID and fields: share its memo.
    let origin: ContextRecord = this;
    while (origin.own === undefined && origin.parent instanceof ContextRecord) origin = origin.parent;
    for (let link = origin.#memo; link !== undefined; link = link.next) if (link.key === key) return link.value as T;
    const value = compute(origin);
    origin.#memo = { key, value, next: origin.#memo };
    return value;
  }

  withSlot(key: symbol, value: unknown): ContextRecord {
    return new ContextRecord(this.#id, this, undefined, { key, value, next: this.slots }, this.#generated);
  }
}

const STORAGE_KEY = Symbol.for('jts.core.context.v1');
type GlobalWithStorage = typeof globalThis & { [STORAGE_KEY]?: AsyncLocalStorage<JtsContext> };

// One store per process, even when several copies of @jts/core are installed side by side.
const storage: AsyncLocalStorage<JtsContext> = ((globalThis as GlobalWithStorage)[STORAGE_KEY] ??=
  new AsyncLocalStorage<JtsContext>());

/**
 * The process-wide AsyncLocalStorage behind the context, for integrations such as
 * `diagnostics_channel` `bindStore` or an OpenTelemetry context manager.
 *
 * @returns the shared storage on `globalThis[Symbol.for('jts.core.context.v1')]`
 */
export function contextStorage(): AsyncLocalStorage<JtsContext> {
  return storage;
}

/**
 * The context of the code currently running, if any.
 *
 * @returns the active context or undefined outside any scope
 * @example
 * currentContext()?.fields.symbol;
 */
export function currentContext(): JtsContext | undefined {
  return storage.getStore();
}

/**
 * The correlation ID of the code currently running.
 *
 * @returns the active correlation ID, or undefined outside any scope
 */
export function correlationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/**
 * Builds a context without entering it: a new root when `parent` is undefined.
 *
 * @param init - trading fields and correlation ID of the new scope
 * @param parent - context whose fields and correlation ID are inherited
 * @returns the context to pass to {@link enterContext}-style runners
 */
export function createContext(init: ContextInit, parent?: JtsContext): JtsContext {
  // Without an ID of its own, the context inherits the parent's or mints one, on first read.
  const id = init.correlationId !== undefined ? acceptCorrelationId(init.correlationId) : undefined;
  const slots = parent instanceof ContextRecord ? parent.slots : undefined;
  return new ContextRecord(id, parent, init as Readonly<Record<string, unknown>>, slots, false);
}

/**
 * Builds a root context around an ID that was already validated (internal: not re-counted),
 * optionally holding one slot (`@jts/http` keeps a request's run there, so an adapter finds it
 * from the code the request runs without reading the request object).
 *
 * @internal
 */
export function createTrustedContext(
  correlationId: string,
  fields?: ContextInit,
  slotKey?: symbol,
  slotValue?: unknown,
): JtsContext {
  const slots = slotKey === undefined ? undefined : { key: slotKey, value: slotValue, next: undefined };
  // An ID core has just generated (the request had none) is the last one it made: one comparison.
  return new ContextRecord(
    correlationId,
    undefined,
    fields as Readonly<Record<string, unknown>> | undefined,
    slots,
    isLastGeneratedCorrelationId(correlationId),
  );
}

/**
 * Runs `fn` in a new root context: the given fields only, the given correlation ID (validated)
 * or a new one.
 *
 * @param init - correlation ID and trading fields
 * @param fn - the work; its return value (or promise) is returned
 * @returns what `fn` returns
 * @example
 * runWithContext({ correlationId: 'abc-1', strategyId: 'mm-1' }, () => handle(message));
 */
export function runWithContext<R>(init: ContextInit, fn: () => R): R {
  return storage.run(createContext(init), fn);
}

/**
 * Runs `fn` in a child of the current context that adds (or overrides) trading fields; keeps the
 * current correlation ID unless `fields.correlationId` is given.
 *
 * @param fields - trading fields to add
 * @param fn - the work
 * @returns what `fn` returns
 * @example
 * withFields({ symbol: 'AAPL' }, () => log.info('quote'));
 */
export function withFields<R>(fields: ContextInit, fn: () => R): R {
  return storage.run(createContext(fields, storage.getStore()), fn);
}

/**
 * Runs `fn` in an existing context (for example one captured earlier with {@link currentContext}).
 *
 * @param context - the context to enter
 * @param fn - the work
 * @returns what `fn` returns
 */
export function runInContext<R>(context: JtsContext, fn: () => R): R {
  return storage.run(context, fn);
}

/**
 * Returns a copy of `context` (or of the current context, or a new root) whose slot `key` holds
 * `value`, without entering it: for `bindStore` transforms and context managers.
 *
 * @param context - the context to copy; undefined starts a new root
 * @param key - the caller's own symbol
 * @param value - value for the slot
 * @returns the new context
 */
export function contextWithSlot(context: JtsContext | undefined, key: symbol, value: unknown): JtsContext {
  if (context instanceof ContextRecord) return context.withSlot(key, value);
  // No context, or one from a foreign copy of @jts/core: a root whose ID is minted on first read.
  return new ContextRecord(context?.correlationId, context, undefined, { key, value, next: undefined }, false);
}

/**
 * Runs `fn` in a copy of the current context whose slot `key` holds `value`. Other packages
 * keep their own per-scope state this way without a second AsyncLocalStorage.
 *
 * @param key - the caller's own symbol
 * @param value - value for the slot
 * @param fn - the work
 * @returns what `fn` returns
 */
export function runWithSlot<R>(key: symbol, value: unknown, fn: () => R): R {
  return storage.run(contextWithSlot(storage.getStore(), key, value), fn);
}

/**
 * What `compute` derives from a context's correlation ID and trading fields (a log line's context
 * fragment), computed once per context and kept on it: a signal that writes several lines per
 * order pays once, and nothing outlives the context. Contexts that differ only by a slot share one
 * memo. `key` identifies the deriving party (one per logger); `compute` must not depend on anything
 * else than the context it is given.
 *
 * @param context - the context
 * @param key - who derives (an object of the caller's)
 * @param compute - the derivation
 * @returns the value, computed at most once per context and key
 * @internal
 */
export function contextMemo<T>(context: JtsContext, key: object, compute: (context: JtsContext) => T): T {
  return context instanceof ContextRecord ? context.memo(key, compute) : compute(context);
}

/**
 * Whether core generated the context's correlation ID (for the request or message that had none,
 * or for a root scope). A signal writes such an ID as it is (see `isGeneratedCorrelationId`); when
 * this says false, the ID may still have the generated form (a caller's UUID), so ask that next.
 *
 * @param context - the context
 * @returns true when the ID is known to be core's own
 * @internal
 */
export function correlationIdGeneratedHere(context: JtsContext): boolean {
  return context instanceof ContextRecord && context.generatedId;
}
