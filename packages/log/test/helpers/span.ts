import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, type ContextManager, ROOT_CONTEXT, TraceFlags, context, trace } from '@opentelemetry/api';

/**
 * A real AsyncLocalStorage context manager for @opentelemetry/api (what
 * @opentelemetry/context-async-hooks does), so `trace.getActiveSpan()` works in tests without
 * the SDK.
 */
class StorageContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

let installed = false;

/** IDs of the span {@link runInSpan} makes active. */
export const SPAN = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

/**
 * Runs `fn` with a (non-recording) span active in the global OpenTelemetry context.
 *
 * @param fn - the work
 * @param ids - trace and span IDs of the span
 * @returns what fn returns
 */
export function runInSpan<R>(fn: () => R, ids: { traceId: string; spanId: string } = SPAN): R {
  if (!installed) installed = context.setGlobalContextManager(new StorageContextManager());
  const span = trace.wrapSpanContext({ traceId: ids.traceId, spanId: ids.spanId, traceFlags: TraceFlags.SAMPLED });
  return context.with(trace.setSpan(context.active(), span), fn);
}
