import { setField } from '@jts/core/internal';
import type { Logger } from 'pino';
import { BOUND_KEYS, SafeFields } from './log-arguments.js';
import type { LineFormatter } from './line-formatter.js';
import { uniqueKey } from './unique-key.js';

type Bindings = Record<string, unknown>;
type BoundLogger = Logger & { [BOUND_KEYS]?: ReadonlySet<string> };
type ChildOptions = {
  formatters?: { log?: (object: Bindings) => Bindings; bindings?: (bindings: Bindings) => Bindings };
} & Record<string, unknown>;

const NO_KEYS: ReadonlySet<string> = new Set();

// pino writes a binding unless its value is undefined (and skips these four option-like names).
const PINO_SKIPPED = new Set(['level', 'serializers', 'formatters', 'customLevels']);

// pino reads bindings with `bindings.hasOwnProperty(key)`: a null-prototype object, or a binding
// named `hasOwnProperty`, would make child() throw. Its bindings are handed over as a plain copy
// (a binding named `__proto__` stays a field of it: see setField).
function plainBindings(bindings: Bindings): Bindings {
  const plain: Bindings = {};
  for (const key of Object.keys(bindings)) {
    const name = key === 'hasOwnProperty' ? uniqueKey(key, (candidate) => Object.hasOwn(bindings, candidate)) : key;
    setField(plain, name, bindings[key]);
  }
  return plain;
}

function withKeys(taken: ReadonlySet<string>, bindings: Bindings): ReadonlySet<string> {
  const keys = new Set(taken);
  for (const key of Object.keys(bindings)) if (bindings[key] !== undefined && !PINO_SKIPPED.has(key)) keys.add(key);
  return keys;
}

/**
 * The root `formatters.log`: hands pino the fields the log-method hook made safe, and sanitises
 * anything else (a child's own `formatters.log` output) the same way.
 *
 * @param formatter - the line formatter
 * @returns pino's `formatters.log`
 */
export function createLogFormatter(formatter: LineFormatter): (object: Bindings) => Bindings {
  return (object) => (object instanceof SafeFields ? object.fields : formatter.fields(object, NO_KEYS, true));
}

/**
 * Wraps `child()` and `setBindings()` of the root logger (children inherit them through pino's
 * prototype chain): pino applies `formatters.bindings` to `base` only, so each child's bindings
 * are sanitised here, against the keys its parent's bindings already wrote (a repeated key moves
 * to `labels.`), and the logger remembers its keys for the log-method hook. A child's own
 * `formatters` are applied after ours, and their output is sanitised again.
 *
 * @param logger - the root logger
 * @param formatter - the line formatter
 */
export function guardChildBindings(logger: Logger, formatter: LineFormatter): void {
  const pinoChild = logger.child;
  const pinoSetBindings = logger.setBindings;
  const rootLog = createLogFormatter(formatter);
  // Anything but an object binds nothing (pino would throw on null and bind each character of a string).
  const safe = (bindings: unknown, taken: ReadonlySet<string>): Bindings =>
    bindings !== null && typeof bindings === 'object'
      ? plainBindings(formatter.bindings(bindings as Bindings, taken))
      : {};

  function ownFormatters(options: ChildOptions | undefined): ChildOptions | undefined {
    const own = options?.formatters;
    if (own === undefined || (own.log === undefined && own.bindings === undefined)) return options;
    const { log, bindings } = own;
    return {
      ...options,
      formatters: {
        ...own,
        ...(log && { log: (object: Bindings) => rootLog(log(rootLog(object))) }),
        ...(bindings && { bindings: (value: Bindings) => safe(bindings(value), NO_KEYS) }),
      },
    };
  }

  Object.assign(logger, {
    child(this: BoundLogger, bindings: Bindings, childOptions?: ChildOptions) {
      const taken = this[BOUND_KEYS] ?? NO_KEYS;
      const sanitised = safe(bindings, taken);
      const child = pinoChild.call(this, sanitised, ownFormatters(childOptions) as never) as unknown as BoundLogger;
      child[BOUND_KEYS] = withKeys(taken, sanitised);
      return child;
    },
    setBindings(this: BoundLogger, bindings: Bindings) {
      const taken = this[BOUND_KEYS] ?? NO_KEYS;
      const sanitised = safe(bindings, taken);
      pinoSetBindings.call(this, sanitised);
      this[BOUND_KEYS] = withKeys(taken, sanitised);
    },
  });
}
