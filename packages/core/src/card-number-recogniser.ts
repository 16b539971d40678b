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

/** One run of digit groups: per digit, its position, whether a number may start or end there, and Luhn prefix sums. */
class DigitRun {
  length = 0;
  position = new Int32Array(64);
  flags = new Uint8Array(64); // 1: may start here, 2: may end here
  // Luhn sums of the digits before index k, for a number ending at an even (sums[0]) or odd
  // (sums[1]) index: the digits of the end's parity are kept, the others doubled.
  evenEnd = new Int32Array(65);
  oddEnd = new Int32Array(65);

  add(position: number, digit: number, flags: number): void {
    const k = this.length++;
    if (k + 1 >= this.position.length) this.grow();
    this.position[k] = position;
    this.flags[k] = flags;
    this.evenEnd[k + 1] = this.evenEnd[k]! + (k % 2 === 0 ? digit : doubled(digit));
    this.oddEnd[k + 1] = this.oddEnd[k]! + (k % 2 === 1 ? digit : doubled(digit));
  }

  /** Luhn-valid from digit `start` to digit `end`? */
  valid(start: number, end: number): boolean {
    const sums = end % 2 === 0 ? this.evenEnd : this.oddEnd;
    return (sums[end + 1]! - sums[start]!) % 10 === 0;
  }

  private grow(): void {
    const size = this.position.length * 2;
    const copy = <T extends Int32Array | Uint8Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.position = copy(this.position, new Int32Array(size));
    this.flags = copy(this.flags, new Uint8Array(size));
    this.evenEnd = copy(this.evenEnd, new Int32Array(size + 1));
    this.oddEnd = copy(this.oddEnd, new Int32Array(size + 1));
  }
}

const run = new DigitRun();

/** Reads the run of digit groups starting at `start` (a word boundary) into `run`; returns the index after it. */
function readRun(value: string, start: number): number {
  run.length = 0;
  let index = start;
  let flags = 1;
  for (;;) {
    const next = value.charCodeAt(index + 1);
    const continues = isSeparator(next) && isDigit(value.charCodeAt(index + 2));
    run.add(index, value.charCodeAt(index) - 48, flags | (isWordCharacter(next) ? 0 : 2));
    if (isDigit(next)) {
      index += 1;
      flags = 0;
    } else if (continues) {
      index += 2;
      flags = 1;
    } else return index + 1;
  }
}

/**
 * Card numbers by value: 13 to 19 digits (single spaces or hyphens between them) standing as a
 * word of their own, that pass the Luhn check, are masked to their last 4 digits. Within a longer
 * run of digit groups, each group start is tried and the longest valid number from it is taken.
 *
 * Worst case: each run is read twice (found, then indexed) and each start (at most one per 2
 * characters) tries at most 7 ends in constant time (Luhn prefix sums): at most 5.5 reads per
 * input character (`1 1 1 1 ...`).
 */
export const cardNumberRecogniser: SecretRecogniser = {
  name: 'card-number',
  hint: HINT,
  replaceAll(value: string, _censor: string, meter: ScanMeter): string {
    let out = '';
    let copied = 0;
    let from = 0;
    let reads = 0;
    for (;;) {
      ANCHOR.lastIndex = from;
      const found = ANCHOR.exec(value);
      if (found === null) {
        reads += value.length - from;
        break;
      }
      const after = readRun(value, found.index);
      reads += after - from + run.length;
      for (let start = 0; start + MIN_DIGITS <= run.length; start++) {
        if ((run.flags[start]! & 1) === 0) continue;
        const last = Math.min(start + MAX_DIGITS, run.length) - 1;
        for (let end = last; end >= start + MIN_DIGITS - 1; end--) {
          reads++;
          if ((run.flags[end]! & 2) === 0 || !run.valid(start, end)) continue;
          const first = run.position[start]!;
          const stop = run.position[end]! + 1;
          out += value.slice(copied, first) + maskLast4(value.slice(first, stop));
          copied = stop;
          start = end; // the loop's increment moves past the number
          break;
        }
      }
      from = after;
    }
    meter.reads += reads;
    return copied === 0 ? value : out + value.slice(copied);
  },
};
