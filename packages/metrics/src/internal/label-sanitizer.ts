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
 * Validates, redacts and truncates label values: the slow path taken once per new series.
 *
 * @internal
 */
export function createLabelSanitizer(maxLength: number, redactor: Redactor = createRedactor()) {
  return function sanitize(raw: unknown): SanitizedLabel {
    let text: string;
    let problem: LabelProblem;
    if (typeof raw === 'string') text = raw;
    else if (raw === undefined || raw === null) text = '';
    else if ((typeof raw === 'number' && Number.isFinite(raw)) || typeof raw === 'boolean' || typeof raw === 'bigint') text = String(raw);
    else return { value: INVALID_LABEL_VALUE, problem: 'invalid_label_type' };
    // Redact before the final cut, which could leave a partial card number the patterns no longer
    // see; a first cut far past the limit keeps 64 KiB values cheap (a card number is < 40 chars).
    if (text.length > maxLength + 64) {
      text = text.slice(0, maxLength + 64);
      problem = 'label_value_too_long';
    }
    if (text.length > 0) text = redactor.redactString(text);
    if (text.length > maxLength) {
      let end = maxLength;
      const code = text.charCodeAt(end - 1);
      if (code >= 0xd800 && code <= 0xdbff) end--;
      text = text.slice(0, end);
      problem = 'label_value_too_long';
    }
    UNSAFE.lastIndex = 0;
    if (UNSAFE.test(text)) text = text.replace(UNSAFE, '\ufffd');
    return { value: text, problem };
  };
}

/** A sanitiser: raw value in, safe label value out. */
export type LabelSanitizer = ReturnType<typeof createLabelSanitizer>;
