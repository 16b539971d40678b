import { JtsError, type RedactionPolicy, createRedactor, createValueWalker } from '@jts/core';
import { toPlainJson } from './canonical-json.js';

/** Redacts and bounds what goes into an audit record. */
export interface RecordRedaction {
  /** One string field (actor, correlation ID): bounded and redacted like a log line's string. */
  text(value: string): string;
  /** The record's `trading.*` fields. */
  trading(attributes: Record<string, unknown>): Record<string, string>;
  /**
   * A payload: walked by `@jts/core`'s one value walker (the same redaction and limits as log
   * lines, spans and labels; a Map is written field by field, an Error as an ECS error object),
   * then copied as plain JSON.
   *
   * @throws JtsError `JTS_ERR_INVALID_ARGUMENT` for values JSON cannot carry (BigInt, NaN,
   *   Infinity, cycles, getters or `toJSON` that throw): an audit record must not change meaning
   */
  payload(value: unknown): unknown;
}

/**
 * Builds the redaction of audit records for a policy.
 *
 * @param policy - the trail's `redaction` option (default: core's default policy; `false` bounds without redacting)
 * @returns the record redaction
 * @internal
 */
export function createRecordRedaction(policy: RedactionPolicy | false | undefined): RecordRedaction {
  const walker = createValueWalker({ redactor: createRedactor(policy), strictJson: true });
  return {
    text: walker.string,
    trading: (attributes) => walker.value(attributes) as Record<string, string>,
    payload(value) {
      let walked: unknown;
      try {
        walked = walker.value(value);
      } catch (error) {
        throw new JtsError('JTS_ERR_INVALID_ARGUMENT', `Audit data must be plain JSON: ${(error as Error).message}`, {
          cause: error,
        });
      }
      return toPlainJson(walked);
    },
  };
}
