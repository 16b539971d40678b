/**
 * Stable error codes of every JTS package, listed once so they can be documented and matched on.
 * `docs/reference/errors.md` describes each code and its fix.
 */
export const JtsErrorCodes = {
  /** An option or its environment variable has a value that cannot be used. */
  INVALID_OPTION: 'JTS_ERR_INVALID_OPTION',
  /** A function was called with an argument it cannot accept (wrong type, out of range). */
  INVALID_ARGUMENT: 'JTS_ERR_INVALID_ARGUMENT',
  /** A metric observation was invalid (NaN, negative, infinite, unknown label). */
  INVALID_OBSERVATION: 'JTS_ERR_INVALID_OBSERVATION',
  /** An audit record could not be made durable; the record is not in the trail. */
  AUDIT_NOT_DURABLE: 'JTS_ERR_AUDIT_NOT_DURABLE',
  /** An audit trail failed verification. */
  AUDIT_VERIFICATION_FAILED: 'JTS_ERR_AUDIT_VERIFICATION_FAILED',
  /** The component was used after `shutdown()` / `close()`. */
  CLOSED: 'JTS_ERR_CLOSED',
  /** A destination (file, spool, Elasticsearch) could not be opened at setup time. */
  DESTINATION_UNAVAILABLE: 'JTS_ERR_DESTINATION_UNAVAILABLE',
} as const;

/** One of the documented stable codes (packages may add `JTS_ERR_*` codes listed in the docs). */
export type JtsErrorCode = (typeof JtsErrorCodes)[keyof typeof JtsErrorCodes] | `JTS_ERR_${string}`;

/**
 * The error every JTS package throws for a caller's mistake: a stable `code` and a message that
 * names the option or argument and how to fix it.
 *
 * @example
 * throw new JtsError('JTS_ERR_INVALID_OPTION', 'serviceName must be a non-empty string (or set OTEL_SERVICE_NAME)');
 */
export class JtsError extends Error {
  /** Stable, documented code, e.g. `JTS_ERR_INVALID_OPTION`. */
  readonly code: JtsErrorCode;

  /**
   * @param code - stable error code
   * @param message - what is wrong and what fixes it
   * @param options - standard `ErrorOptions` (`cause`)
   */
  constructor(code: JtsErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JtsError';
    this.code = code;
  }
}

/**
 * Whether a value is a {@link JtsError}, also across duplicate installed copies of `@jts/core`.
 *
 * @param value - anything caught
 * @returns true when it carries a `JTS_ERR_*` code and the JtsError name
 */
export function isJtsError(value: unknown): value is JtsError {
  return (
    value instanceof Error &&
    value.name === 'JtsError' &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as unknown as { code: string }).code.startsWith('JTS_ERR_')
  );
}
