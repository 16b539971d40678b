import type { JtsContext } from './context.js';

/**
 * What `subscribeRuns` registers for one operation: callbacks core calls directly around a run,
 * already contained (they never throw). Core publishes on the operation's diagnostics channel only
 * when something else subscribes there, so the signals of a process cost a function call each
 * instead of a channel publish per event.
 *
 * @internal
 */
export interface RunHook {
  readonly start: ((message: never) => void) | undefined;
  readonly bind: ((message: never) => JtsContext) | undefined;
  readonly finish: (message: never) => void;
}

/** The hooks of one operation, as arrays core iterates without allocating. @internal */
export interface OperationHooks {
  /** Every hook, in registration order. */
  all: readonly RunHook[];
  /** The hooks with a `start` callback. */
  starts: readonly RunHook[];
  /** The hooks with a `bind` callback (the last one decides the context, as `bindStore` did). */
  binds: readonly RunHook[];
}

const REGISTRY_KEY = Symbol.for('jts.core.run-hooks.v1');
type GlobalWithHooks = typeof globalThis & { [REGISTRY_KEY]?: Map<string, OperationHooks> };

// Process-wide, like the context storage: two copies of @jts/core (an ESM and a CommonJS build
// loaded side by side) see one registry, as they see one diagnostics channel per operation.
const registry: Map<string, OperationHooks> = ((globalThis as GlobalWithHooks)[REGISTRY_KEY] ??= new Map());

/**
 * The hooks of an operation (one object per name for the life of the process).
 *
 * @param name - the operation name
 * @returns its hooks
 * @internal
 */
export function hooksOf(name: string): OperationHooks {
  let hooks = registry.get(name);
  if (hooks === undefined) registry.set(name, (hooks = { all: [], starts: [], binds: [] }));
  return hooks;
}

function rebuild(hooks: OperationHooks, all: readonly RunHook[]): void {
  hooks.all = all;
  hooks.starts = all.filter((hook) => hook.start !== undefined);
  hooks.binds = all.filter((hook) => hook.bind !== undefined);
}

/**
 * Adds a hook to an operation.
 *
 * @param name - the operation name
 * @param hook - contained callbacks
 * @returns a function that removes it (idempotent)
 * @internal
 */
export function addRunHook(name: string, hook: RunHook): () => void {
  const hooks = hooksOf(name);
  rebuild(hooks, [...hooks.all, hook]);
  return () => {
    if (hooks.all.includes(hook))
      rebuild(
        hooks,
        hooks.all.filter((entry) => entry !== hook),
      );
  };
}
