import { JtsError, createRedactionPolicy, defaultRedactionPolicy, type RedactionPolicy } from '@jts/core';

/** The policy every field goes through, and the pino paths redacted on top of it. */
export interface RedactionSettings {
  readonly policy: RedactionPolicy;
  readonly paths: readonly string[];
}

// `redaction: false` keeps the bounds and the escaping of unsafe characters, without keys or patterns.
const NO_REDACTION: RedactionPolicy = createRedactionPolicy({ replaceDefaults: true });

const isPolicy = (value: unknown): value is RedactionPolicy => {
  const policy = value as Partial<RedactionPolicy> | null;
  return (
    typeof policy === 'object' &&
    policy !== null &&
    Array.isArray(policy.keys) &&
    Array.isArray(policy.maskKeys) &&
    Array.isArray(policy.patterns) &&
    typeof policy.censor === 'string'
  );
};

/**
 * Checks the `redaction` and `redactPaths` options of `createLogger`.
 *
 * @param redaction - a policy from `createRedactionPolicy`, `false`, or undefined (the default policy)
 * @param paths - exact pino paths
 * @returns the settings
 * @throws JtsError `JTS_ERR_INVALID_OPTION` naming the option
 */
export function resolveRedaction(
  redaction: RedactionPolicy | false | undefined,
  paths: readonly string[] | undefined,
): RedactionSettings {
  if (redaction !== undefined && redaction !== false && !isPolicy(redaction)) {
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      'Invalid option redaction: must be a RedactionPolicy (createRedactionPolicy({ keys, maskKeys, patterns, censor }) of @jts/core) or false; exact pino paths go in redactPaths',
    );
  }
  if (
    paths !== undefined &&
    (!Array.isArray(paths) || paths.some((path) => typeof path !== 'string' || path.trim() === ''))
  ) {
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      'Invalid option redactPaths: must be an array of non-empty pino paths such as "order.notes" or \'req.headers["x-key"]\'',
    );
  }
  return { policy: redaction === false ? NO_REDACTION : (redaction ?? defaultRedactionPolicy), paths: paths ?? [] };
}
