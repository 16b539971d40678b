import { createRedactor, type Redactor } from '@jts/core';

/** Why a label value was repaired (production) or rejected (strict mode). */
export type LabelProblem = 'invalid_label_type' | 'label_value_too_long' | undefined;

/** Result of sanitising one label value. */
export interface SanitizedLabel {
  readonly value: string;
  readonly problem: LabelProblem;
}

/** Placeholder for a value of a type a label cannot hold (objects, symbols, functions). */
export const INVALID_LABEL_VALUE = '__invalid__';

// C0 and C1 controls and lone surrogates: legal after escaping, but they break dashboards,
// terminals and some parsers, so they become U+FFFD.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Validates, bounds and redacts label values: the slow path taken once per new series. The
 * bounding and redaction are `@jts/core`'s (the same fast path as log lines, spans and audit
 * payloads): a secret crossing the cut is still recognised whole, and the value is cut without a
 * marker (a marker counting dropped characters would make one series per original length).
 *
 * @internal
 */
export function createLabelSanitizer(maxLength: number, redactor: Redactor = createRedactor()) {
  const bound = { maxLength, marker: false };
  return function sanitize(raw: unknown): SanitizedLabel {
    let text: string;
    let problem: LabelProblem;
    if (typeof raw === 'string') text = raw;
    else if (raw === undefined || raw === null) text = '';
    else if ((typeof raw === 'number' && Number.isFinite(raw)) || typeof raw === 'boolean' || typeof raw === 'bigint')
      text = String(raw);
    else return { value: INVALID_LABEL_VALUE, problem: 'invalid_label_type' };
    if (text.length > maxLength) problem = 'label_value_too_long';
    if (text.length > 0) text = redactor.redactString(text, bound);
    UNSAFE.lastIndex = 0;
    if (UNSAFE.test(text)) text = text.replace(UNSAFE, '\ufffd');
    return { value: text, problem };
  };
}

/** A sanitiser: raw value in, safe label value out. */
export type LabelSanitizer = ReturnType<typeof createLabelSanitizer>;
