import { cardNumberRecogniser } from './card-number-recogniser.js';
import { bearerTokenRecogniser, jwtRecogniser, urlPasswordRecogniser } from './credential-recognisers.js';
import { ibanRecogniser } from './iban-recogniser.js';
import { redactionCounters } from './redaction-work.js';
import type { SecretRecogniser } from './secret-text.js';

/**
 * The recognisers of the default patterns, in the order they run: IBANs before card numbers (an
 * IBAN's digits could pass for a card number), credentials last.
 */
export const DEFAULT_RECOGNISERS: readonly SecretRecogniser[] = Object.freeze([
  ibanRecogniser,
  cardNumberRecogniser,
  bearerTokenRecogniser,
  jwtRecogniser,
  urlPasswordRecogniser,
]);

/**
 * Builds the one redaction fast path every signal uses: one regular-expression test that every
 * recognised secret satisfies (the union of the recognisers' bounded-width hints, so at most a
 * few dozen steps per character), and only when it matches, one linear pass per recogniser.
 *
 * Work per input character, counted in `redactionWork().reads`, worst case: 1 for the hint test
 * plus the recognisers' bounds (IBANs 11, card numbers 5.5, URL passwords 4, bearer/basic 3, JWTs
 * 3), so below 30; the usual string without a candidate costs the hint test alone. The tests
 * feed each recogniser's worst input and check the count.
 *
 * @param recognisers - the recognisers enabled by the policy, in order
 * @param censor - replacement text of the credential recognisers
 * @returns the scanner (the identity when no recogniser is enabled); returns its argument
 *   itself when nothing was found
 */
export function createSecretScanner(
  recognisers: readonly SecretRecogniser[],
  censor: string,
): (value: string) => string {
  if (recognisers.length === 0) return (value) => value;
  const hint = new RegExp(recognisers.map((recogniser) => `(?:${recogniser.hint})`).join('|'));
  const ordered = DEFAULT_RECOGNISERS.filter((recogniser) => recognisers.includes(recogniser));
  const meter = redactionCounters;
  return (value) => {
    meter.strings++;
    meter.reads += value.length;
    if (!hint.test(value)) return value;
    let result = value;
    for (const recogniser of ordered) result = recogniser.replaceAll(result, censor, meter);
    return result;
  };
}
