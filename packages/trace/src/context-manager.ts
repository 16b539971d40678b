import { type Context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';
import { contextStorage, contextWithSlot, runWithSlot, type JtsContext } from '@jts/core';

/** Slot of the JTS context that holds the active OpenTelemetry context. */
export const OTEL_CONTEXT_SLOT: unique symbol = Symbol.for('jts.trace.otel-context.v1');

/**
 * Returns a copy of `context` whose OpenTelemetry slot holds `otelContext`, for
 * `diagnostics_channel` `bindStore` transforms.
 *
 * @internal
 */
export function withOtelContext(context: JtsContext, otelContext: Context): JtsContext {
  return contextWithSlot(context, OTEL_CONTEXT_SLOT, otelContext);
}

/**
 * An OpenTelemetry context manager backed by `@jts/core`'s one AsyncLocalStorage: the active
 * OpenTelemetry context lives in a slot of the JTS context, so the process keeps a single store
 * (every extra AsyncLocalStorage makes each `await` dearer on Node 20).
 *
 * @returns a context manager to register with `context.setGlobalContextManager`
 * @example
 * context.setGlobalContextManager(createJtsContextManager());
 */
export function createJtsContextManager(): ContextManager {
  const storage = contextStorage();
  const manager: ContextManager = {
    active(): Context {
      return (storage.getStore()?.slot(OTEL_CONTEXT_SLOT) as Context | undefined) ?? ROOT_CONTEXT;
    },
    with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
      context: Context,
      fn: F,
      thisArg?: ThisParameterType<F>,
      ...args: A
    ): ReturnType<F> {
      return runWithSlot(OTEL_CONTEXT_SLOT, context, () => fn.apply(thisArg, args));
    },
    bind<T>(context: Context, target: T): T {
      if (typeof target !== 'function') return target;
      const fn = target as unknown as (...args: unknown[]) => unknown;
      const bound = function (this: unknown, ...args: unknown[]) {
        return manager.with(context, () => fn.apply(this, args));
      };
      return bound as unknown as T;
    },
    enable(): ContextManager {
      return manager;
    },
    disable(): ContextManager {
      return manager;
    },
  };
  return manager;
}
