import { type ScanMeter, type SecretRecogniser, isDigit, isWordCharacter, maskLast4 } from './secret-text.js';

const MIN_DIGITS = 13;
const MAX_DIGITS = 19;
const isSeparator = (code: number) => code === 32 || code === 45;
// Where a card number can start: a word boundary followed by 13 digits, single spaces or hyphens
// allowed between them (bounded width: at most 25 characters examined per start position).
const HINT = String.raw`\b\d(?:[ -]?\d){12}`;
// Shared: replaceAll runs to completion without calling out, so no call can interleave with another.
const ANCHOR = new RegExp(HINT, 'g');
const doubled = (digit: number) => (digit > 4 ? digit * 2 - 9 : digit * 2);

/**
 * From the digit at `start`, the end (index of the last digit) of the longest Luhn-valid run of
 * 13 to 19 digits that ends at a word boundary, or -1. Reads at most 37 characters.
 */
function longestCardFrom(value: string, start: number, meter: ScanMeter): number {
  let sumEven = 0; // digits at even offsets kept, odd offsets doubled
  let sumOdd = 0; // the other way round
  let count = 0;
  let best = -1;
  let index = start;
  for (;;) {
    const digit = value.charCodeAt(index) - 48;
    if (count % 2 === 0) {
      sumEven += digit;
      sumOdd += doubled(digit);
    } else {
      sumEven += doubled(digit);
      sumOdd += digit;
    }
    count++;
    const next = value.charCodeAt(index + 1);
    meter.reads += 2;
    // Luhn doubles every second digit from the right: which sum applies depends on the length.
    if (count >= MIN_DIGITS && !isWordCharacter(next) && (count % 2 === 1 ? sumEven : sumOdd) % 10 === 0) best = index;
    if (count === MAX_DIGITS) return best;
    if (isDigit(next)) index += 1;
    else if (isSeparator(next) && isDigit(value.charCodeAt(index + 2))) index += 2;
    else return best;
  }
}

/**
 * Card numbers by value: 13 to 19 digits (single spaces or hyphens between them) standing as a
 * word of their own, that pass the Luhn check, are masked to their last 4 digits. Within a longer
 * run of digit groups, each group start is tried and the longest valid number from it is taken.
 *
 * Worst case: 37 characters read per start position tried plus 2 per digit stepped over, so at
 * most about 40 reads per input character (a run like `1 1 1 1 ...`).
 */
export const cardNumberRecogniser: SecretRecogniser = {
  name: 'card-number',
  hint: HINT,
  replaceAll(value: string, _censor: string, meter: ScanMeter): string {
    const anchor = ANCHOR;
    let out = '';
    let copied = 0;
    let from = 0;
    for (;;) {
      anchor.lastIndex = from;
      const found = anchor.exec(value);
      if (found === null) {
        meter.reads += value.length - from;
        break;
      }
      meter.reads += found.index - from + 1;
      // Walk the run of digit groups from the first possible start; each group start is a start.
      let index = found.index;
      let canStart = true;
      for (;;) {
        if (canStart) {
          const end = longestCardFrom(value, index, meter);
          if (end !== -1) {
            out += value.slice(copied, index) + maskLast4(value.slice(index, end + 1));
            copied = end + 1;
            index = end;
          }
        }
        const next = value.charCodeAt(index + 1);
        meter.reads += 1;
        if (isDigit(next)) {
          index += 1;
          canStart = false;
        } else if (isSeparator(next) && isDigit(value.charCodeAt(index + 2))) {
          index += 2;
          canStart = true;
        } else break;
      }
      from = index + 1;
    }
    return copied === 0 ? value : out + value.slice(copied);
  },
};
