import { JtsError } from './errors.js';

/** Turns a raw environment string into a value, or returns `undefined` when it is not valid. */
export type EnvParser<T> = (raw: string) => T | undefined;

/** Where a resolved setting came from. */
export interface ResolveOptionInput<T> {
  /** Name of the option, used in warnings and errors (e.g. `maxStringLength`). */
  readonly name: string;
  /** The value given in code; wins over the environment when not `undefined`. */
  readonly option: T | undefined;
  /** Environment variable to read when no option is given (e.g. `JTS_LOG_LEVEL`). */
  readonly env?: string;
  /** Parser for the environment value. */
  readonly parse?: EnvParser<T>;
  /** Value used when neither option nor a valid environment value is present. */
  readonly default: T;
  /** Validates the option given in code; return an error message to reject it. */
  readonly validate?: (value: T) => string | undefined;
  /** Environment to read (defaults to `process.env`). */
  readonly environment?: NodeJS.ProcessEnv;
}

/**
 * Resolves one setting: option > environment variable > default. An empty environment value
 * counts as unset; an invalid one produces a coded warning (`JTS_WARN_INVALID_ENV`) and the
 * default. An invalid option given in code is a programming error and throws.
 *
 * @param input - option, env var name, parser and default
 * @returns the resolved value
 * @throws JtsError `JTS_ERR_INVALID_OPTION` when the in-code option fails `validate`
 * @example
 * const level = resolveOption({ name: 'level', option: opts.level, env: 'JTS_LOG_LEVEL', default: 'info' });
 */
export function resolveOption<T>(input: ResolveOptionInput<T>): T {
  if (input.option !== undefined) {
    const problem = input.validate?.(input.option);
    if (problem !== undefined) {
      const hint = input.env ? ` (or set ${input.env})` : '';
      throw new JtsError('JTS_ERR_INVALID_OPTION', `Invalid option ${input.name}: ${problem}${hint}`);
    }
    return input.option;
  }
  if (input.env) {
    const raw = (input.environment ?? process.env)[input.env];
    if (raw !== undefined && raw.trim() !== '') {
      const parse = input.parse ?? ((value: string) => value as unknown as T);
      const parsed = parse(raw.trim());
      if (parsed !== undefined && input.validate?.(parsed) === undefined) return parsed;
      warnOnce(
        `${input.env}`,
        `Ignoring invalid ${input.env} for option ${input.name}; using the default ${JSON.stringify(input.default)}.`,
      );
    }
  }
  return input.default;
}

const warned = new Set<string>();

/** Emits a coded process warning once per key, the way pino and Node report configuration trouble. */
function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(message, { code: 'JTS_WARN_INVALID_ENV', type: 'JtsWarning' });
}

/**
 * Parses `true/false/1/0/yes/no/on/off` (case-insensitive).
 *
 * @param raw - environment text
 * @returns the boolean, or undefined when unrecognised
 */
export const parseBoolean: EnvParser<boolean> = (raw) => {
  const value = raw.toLowerCase();
  if (value === 'true' || value === '1' || value === 'yes' || value === 'on') return true;
  if (value === 'false' || value === '0' || value === 'no' || value === 'off') return false;
  return undefined;
};

/**
 * Builds a parser for finite numbers within `[min, max]`.
 *
 * @param bounds - inclusive limits and whether only integers are allowed
 * @returns a parser returning undefined for anything else
 * @example
 * const parsePort = parseNumber({ min: 0, max: 65535, integer: true });
 */
export function parseNumber(bounds: { min?: number; max?: number; integer?: boolean } = {}): EnvParser<number> {
  return (raw) => {
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw)) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value)) return undefined;
    if (bounds.integer && !Number.isInteger(value)) return undefined;
    if (bounds.min !== undefined && value < bounds.min) return undefined;
    if (bounds.max !== undefined && value > bounds.max) return undefined;
    return value;
  };
}

/**
 * Builds a parser accepting one of a fixed set of strings (case-insensitive).
 *
 * @param allowed - accepted values
 * @returns a parser returning the canonical value, or undefined
 */
export function parseEnum<T extends string>(allowed: readonly T[]): EnvParser<T> {
  return (raw) => allowed.find((candidate) => candidate.toLowerCase() === raw.toLowerCase());
}
