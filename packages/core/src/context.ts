import { AsyncLocalStorage } from 'node:async_hooks';
import { acceptCorrelationId, newCorrelationId } from './correlation-id.js';
import { TRADING_CONVENTIONS, type TradingFields } from './conventions.js';

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

const CONVENTIONS = TRADING_CONVENTIONS;
const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/** A usable field value as a string, or undefined: empty strings and objects are ignored. */
function fieldValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

class ContextRecord implements JtsContext {
  #fields: Readonly<TradingFields> | undefined;
  #attributes: Readonly<Record<string, string>> | undefined;

  constructor(
    readonly correlationId: string,
    private readonly parent: JtsContext | undefined,
    private readonly own: Readonly<Record<string, unknown>> | undefined,
    private readonly slots: Readonly<Record<symbol, unknown>>,
  ) {}

  // Fields and attributes are merged in one pass on first read, not when the scope is entered:
  // most hot-path scopes (an order wrapped by an operation nobody listens to) never read them.
  #merge(): void {
    const parentFields = this.parent?.fields as Readonly<Record<string, string>> | undefined;
    const own = this.own;
    const fields: Record<string, string> = {};
    const attributes: Record<string, string> = {};
    for (let index = 0; index < CONVENTIONS.length; index++) {
      const convention = CONVENTIONS[index]!;
      const value = (own !== undefined ? fieldValue(own[convention.field]) : undefined) ?? parentFields?.[convention.field];
      if (value !== undefined) {
        fields[convention.field] = value;
        attributes[convention.attribute] = value;
      }
    }
    this.#fields = fields;
    this.#attributes = attributes;
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
    return this.slots[key];
  }

  withSlot(key: symbol, value: unknown): ContextRecord {
    return new ContextRecord(this.correlationId, this, undefined, { ...this.slots, [key]: value });
  }

  get slotsObject(): Readonly<Record<symbol, unknown>> {
    return this.slots;
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
  let id: string | undefined;
  if (init.correlationId !== undefined) id = acceptCorrelationId(init.correlationId);
  id ??= parent?.correlationId ?? newCorrelationId();
  const slots = parent instanceof ContextRecord ? parent.slotsObject : EMPTY;
  return new ContextRecord(id, parent, init as Readonly<Record<string, unknown>>, slots);
}

/**
 * Builds a root context around an ID that was already validated (internal: not re-counted).
 *
 * @internal
 */
export function createTrustedContext(correlationId: string, fields: ContextInit = {}): JtsContext {
  return new ContextRecord(correlationId, undefined, fields as Readonly<Record<string, unknown>>, EMPTY);
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
  const base = context instanceof ContextRecord ? context : (createContext({}, context) as ContextRecord);
  return base.withSlot(key, value);
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
