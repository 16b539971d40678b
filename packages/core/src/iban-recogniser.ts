import { type ScanMeter, type SecretRecogniser, isDigit, isLetter, maskLast4 } from './secret-text.js';

// IBAN length per country: the SWIFT IBAN registry plus the national IBANs in use outside it
// (checked against ibantools' country table by the tests).
const TABLE =
  'AD24AE23AL28AO25AT20AX18AZ28BA20BE16BF28BG22BH22BI27BJ28BL27BR29BY28CF27CG27CH21CI28CM27CR22CV25' +
  'CY28CZ24DE22DJ27DK18DO28DZ26EE20EG29ES24FI18FK18FO18FR27GA27GB22GE22GF27GI23GL18GP27GQ27GR27GT28' +
  'GW25HN28HR21HU28IE22IL23IQ23IR26IS26IT27JO30KM27KW30KZ20LB28LC32LI21LT20LU20LV21LY25MA28MC27MD24' +
  'ME22MF27MG27MK19ML28MN20MQ27MR27MT31MU30MZ25NC27NE28NI28NL18NO15OM23PF27PK24PL28PM27PS29PT25QA29' +
  'RE27RO24RS22RU33SA24SC31SD18SE24SI19SK24SM27SN28SO23ST25SV28TD27TF27TG28TL23TN24TR26UA29VA22VG24' +
  'WF27XK20YE30YT27';

/** IBAN length by ISO 3166 country code. */
export const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  Array.from({ length: TABLE.length / 4 }, (_, index) => [
    TABLE.slice(index * 4, index * 4 + 2),
    Number(TABLE.slice(index * 4 + 2, index * 4 + 4)),
  ]),
);

// The same lengths by the two letters' index (A-Z × A-Z), so a start costs no string and no hash.
const LENGTH_BY_LETTERS = new Uint8Array(26 * 26);
for (const [country, length] of IBAN_LENGTHS)
  LENGTH_BY_LETTERS[(country.charCodeAt(0) - 65) * 26 + country.charCodeAt(1) - 65] = length;
const lengthFor = (first: number, second: number) =>
  LENGTH_BY_LETTERS[((first & ~32) - 65) * 26 + (second & ~32) - 65] || undefined;

// Where an IBAN can start: a word boundary, two letters, two check digits (fixed width).
const HINT = String.raw`\b[A-Za-z]{2}\d\d`;
const ANCHOR = new RegExp(HINT, 'g');
const isAlphanumeric = (code: number) => isDigit(code) || isLetter(code);

/** ISO 7064 MOD 97-10 step: appends one character (digits as themselves, letters as 10-35). */
function mod97(remainder: number, code: number): number {
  if (isDigit(code)) return (remainder * 10 + code - 48) % 97;
  return (remainder * 100 + (code & ~32) - 55) % 97;
}

/** One run of letters and digits (single spaces allowed between them): the position of each character. */
let positions = new Int32Array(64);
let runLength = 0;

/** Reads the run starting at `start` into `positions`; returns the index after it. */
function readRun(value: string, start: number): number {
  runLength = 0;
  let index = start;
  for (;;) {
    if (runLength === positions.length) {
      const grown = new Int32Array(positions.length * 2);
      grown.set(positions);
      positions = grown;
    }
    positions[runLength++] = index;
    const next = value.charCodeAt(index + 1);
    if (isAlphanumeric(next)) index += 1;
    else if (next === 32 && isAlphanumeric(value.charCodeAt(index + 2))) index += 2;
    else return index + 1;
  }
}

/** Whether the `length` characters of the run from `first` are an IBAN (mod 97 = 1, the first 4 moved to the end). */
function passesMod97(value: string, first: number, length: number): boolean {
  let remainder = 0;
  for (let offset = 4; offset < length; offset++)
    remainder = mod97(remainder, value.charCodeAt(positions[first + offset]!));
  for (let offset = 0; offset < 4; offset++) remainder = mod97(remainder, value.charCodeAt(positions[first + offset]!));
  return remainder === 1;
}

const isLetterAt = (value: string, index: number) => isLetter(value.charCodeAt(index));
const isDigitAt = (value: string, index: number) => isDigit(value.charCodeAt(index));

/**
 * IBANs by value: a country code, two check digits and the country's number of letters and
 * digits (print format with single spaces accepted), standing as a word of their own and passing
 * the mod-97 check, are masked to their last 4 characters. Unknown countries are not matched.
 *
 * Worst case: each run of letters and digits is read twice (found, then indexed); a start (at
 * most one per 2 characters) is checked in 4 reads (letters, digits, country, word boundary at
 * its end) and only then by mod 97 (at most 34 reads), which needs a start every 5 characters
 * ending exactly at a space: at most 11 reads per input character (`BE12 BE12 BE12 ...`).
 */
export const ibanRecogniser: SecretRecogniser = {
  name: 'iban',
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
      reads += after - from + runLength;
      for (let first = 0; first + 15 <= runLength; first++) {
        const at = positions[first]!;
        // A start: the run's start or after a space, two letters, two check digits, a known country.
        if (first > 0 && positions[first - 1] === at - 1) continue;
        if (
          !isLetterAt(value, at) ||
          !isLetterAt(value, positions[first + 1]!) ||
          !isDigitAt(value, positions[first + 2]!) ||
          !isDigitAt(value, positions[first + 3]!)
        )
          continue;
        const length = lengthFor(value.charCodeAt(at), value.charCodeAt(positions[first + 1]!));
        reads += 4;
        if (length === undefined || first + length > runLength) continue;
        const last = first + length - 1;
        // Its end must be a word boundary: the run's end or a space.
        if (last + 1 < runLength && positions[last + 1] === positions[last]! + 1) continue;
        reads += length;
        if (!passesMod97(value, first, length)) continue;
        out += value.slice(copied, at) + maskLast4(value.slice(at, positions[last]! + 1));
        copied = positions[last]! + 1;
        first = last;
      }
      from = after;
    }
    meter.reads += reads;
    return copied === 0 ? value : out + value.slice(copied);
  },
};
