import { OPERATION_NAMES, type OperationName } from '@jts/core';
import { parseBoolean } from '@jts/core/internal';

const KNOWN: ReadonlySet<string> = new Set(OPERATION_NAMES);

/**
 * Parses `JTS_METRICS_OPERATIONS`: `false` (or `0`, `no`, `off`) for none, `true` for all, or
 * comma-separated operation names. Undefined (a coded warning, then the default) for anything else.
 *
 * @internal
 */
export function parseOperations(raw: string): readonly OperationName[] | false | undefined {
  const flag = parseBoolean(raw);
  if (flag !== undefined) return flag ? OPERATION_NAMES : false;
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.length > 0 && names.every((name) => KNOWN.has(name)) ? (names as OperationName[]) : undefined;
}

/**
 * Checks the `operations` option given in code: `false`, or an array of operation names.
 *
 * @internal
 */
export function validateOperations(value: readonly OperationName[] | false): string | undefined {
  if (value === false) return undefined;
  if (!Array.isArray(value)) return `must be an array of operation names (${OPERATION_NAMES.join(', ')}) or false`;
  const unknown = value.filter((name) => typeof name !== 'string' || !KNOWN.has(name));
  if (unknown.length > 0)
    return `unknown operation ${unknown.map((name) => JSON.stringify(String(name).slice(0, 64))).join(', ')}; known: ${OPERATION_NAMES.join(', ')}`;
  return undefined;
}
