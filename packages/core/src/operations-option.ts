import { resolveOption } from './env.js';
import { JtsError } from './errors.js';
import { OPERATION_NAMES, type OperationName } from './operations.js';

/** Input of {@link resolveOperationsOption}. */
export interface OperationsOptionInput {
  /** Full option name for messages, e.g. `initTracing: operations`. */
  readonly name: string;
  /** What the caller passed: a list of operation names, `false` for none, or undefined. */
  readonly option: readonly OperationName[] | false | undefined;
  /** Environment variable, e.g. `JTS_TRACE_OPERATIONS`: comma-separated names, or `false`. */
  readonly env: string;
  /** Used when neither the option nor a valid variable is given. */
  readonly default: readonly OperationName[] | false;
  /** The operations this package can observe (default: all). */
  readonly supported?: readonly OperationName[];
  /** Environment to read (default `process.env`). */
  readonly environment?: NodeJS.ProcessEnv;
}

/**
 * Resolves a package's `operations` option (option > `JTS_<PKG>_OPERATIONS` > default) the one way
 * every JTS package does: a list of `@jts/core` operation names, or `false` for none. An unknown or
 * unsupported name given in code throws before anything is registered; in the variable it gives a
 * `JTS_WARN_INVALID_ENV` warning and the default. Duplicates are removed.
 *
 * @param input - option, variable, default and the supported names
 * @returns the operations to observe, or false
 * @throws JtsError `JTS_ERR_INVALID_OPTION` naming the option, the bad name and the variable
 * @example
 * resolveOperationsOption({ name: 'initTracing: operations', option: ['order.execution'], env: 'JTS_TRACE_OPERATIONS', default: OPERATION_NAMES });
 */
export function resolveOperationsOption(input: OperationsOptionInput): readonly OperationName[] | false {
  const supported: readonly string[] = input.supported ?? OPERATION_NAMES;
  const problem = (value: readonly OperationName[] | false): string | undefined => {
    if (value === false) return undefined;
    if (!Array.isArray(value)) return `must be an array of operation names or false (got ${typeof value})`;
    const unknown = value.filter((name) => !supported.includes(name));
    return unknown.length === 0
      ? undefined
      : `unknown or unsupported operation ${unknown.map((name) => JSON.stringify(name)).join(', ')}; use ${supported.join(', ')}`;
  };
  const parse = (raw: string): readonly OperationName[] | false | undefined => {
    if (raw.toLowerCase() === 'false' || raw.toLowerCase() === 'none') return false;
    const names = raw
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    return names.length > 0 && names.every((name) => supported.includes(name)) ? (names as OperationName[]) : undefined;
  };
  const resolved = resolveOption<readonly OperationName[] | false>({
    name: input.name,
    option: input.option,
    env: input.env,
    parse,
    default: input.default,
    validate: problem,
    ...(input.environment !== undefined && { environment: input.environment }),
  });
  if (resolved !== false && !Array.isArray(resolved))
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      `Invalid option ${input.name}: must be an array of operation names or false (or set ${input.env})`,
    );
  return resolved === false ? false : [...new Set(resolved)];
}
