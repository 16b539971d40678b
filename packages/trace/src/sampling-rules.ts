import { JtsError } from '@jts/core';

/**
 * How often one operation is sampled: a ratio in [0, 1] applied to new traces (a child follows
 * its parent's decision), or `always`: sampled even under an unsampled parent.
 */
export type SamplingRule = number | 'always';

/** Rules by operation (span) name; `*` is the ratio for everything else (default 1). */
export type SamplingRules = Readonly<Record<string, SamplingRule>>;

/**
 * Default rules: orders and risk checks always kept, market data at 0.1%, everything else
 * parent-based with new traces always sampled.
 */
export const DEFAULT_SAMPLING_RULES: SamplingRules = Object.freeze({
  'order.execution': 'always',
  'risk.check': 'always',
  'market_data.processing': 0.001,
  '*': 1,
});

const NAME = /^(\*|[A-Za-z0-9_.:/ -]{1,128})$/;

function ruleValue(value: unknown): SamplingRule | undefined {
  if (value === 'always') return value;
  const ratio = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof ratio === 'number' && Number.isFinite(ratio) && ratio >= 0 && ratio <= 1 ? ratio : undefined;
}

/**
 * Parses sampling rules from `JTS_TRACE_SAMPLING_RULES`: either JSON
 * (`{"market_data.processing":0.001,"order.execution":"always"}`) or the compact form
 * `market_data.processing=0.001,order.execution=always,*=0.5`.
 *
 * @param raw - the text
 * @returns the rules, or undefined when the text is malformed
 * @example
 * parseSamplingRules('market_data.processing=0.01,*=1');
 */
export function parseSamplingRules(raw: string): SamplingRules | undefined {
  const text = raw.trim();
  let entries: Array<[string, unknown]>;
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
      entries = Object.entries(parsed);
    } catch {
      return undefined;
    }
  } else {
    entries = [];
    for (const member of text.split(',')) {
      const equals = member.indexOf('=');
      if (equals <= 0) return undefined;
      entries.push([member.slice(0, equals).trim(), member.slice(equals + 1).trim()]);
    }
  }
  const rules: Record<string, SamplingRule> = {};
  for (const [name, value] of entries) {
    const rule = ruleValue(value);
    if (!NAME.test(name) || rule === undefined) return undefined;
    rules[name] = rule;
  }
  return Object.freeze(rules);
}

/**
 * Checks rules given in code.
 *
 * @param rules - the rules
 * @returns the same rules, frozen
 * @throws JtsError `JTS_ERR_INVALID_OPTION` naming the bad entry
 */
export function validateSamplingRules(rules: SamplingRules): SamplingRules {
  for (const [name, value] of Object.entries(rules)) {
    if (!NAME.test(name) || ruleValue(value) === undefined || (typeof value === 'string' && value !== 'always')) {
      throw new JtsError(
        'JTS_ERR_INVALID_OPTION',
        `Invalid option sampling.${name}: ${JSON.stringify(value)} is not a ratio in [0, 1] or "always" (or set JTS_TRACE_SAMPLING_RULES)`,
      );
    }
  }
  return Object.freeze({ ...rules });
}
