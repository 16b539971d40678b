import { type ScanMeter, type SecretRecogniser, isDigit, isLetter, isWordCharacter, maskLast4 } from './secret-text.js';

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
  Array.from({ length: TABLE.length / 4 }, (_, index) => [TABLE.slice(index * 4, index * 4 + 2), Number(TABLE.slice(index * 4 + 2, index * 4 + 4))]),
);

// Where an IBAN can start: a word boundary, two letters, two check digits (fixed width).
const HINT = String.raw`\b[A-Za-z]{2}\d\d`;
const ANCHOR = new RegExp(HINT, 'g');
const isAlphanumeric = (code: number) => isDigit(code) || isLetter(code);

/** ISO 7064 MOD 97-10 step: appends one character (digits as themselves, letters as 10-35). */
function mod97(remainder: number, code: number): number {
  if (isDigit(code)) return (remainder * 10 + code - 48) % 97;
  return (remainder * 100 + (code & ~32) - 55) % 97;
}

/**
 * The index of the last character of an IBAN of `length` characters starting at `start` (single
 * spaces allowed between characters, as in the print format), ending at a word boundary and
 * passing the mod-97 check; else -1. Reads at most 2 × 34 characters.
 */
function ibanEnd(value: string, start: number, length: number, meter: ScanMeter): number {
  let remainder = 0;
  let index = start;
  for (let count = 1; ; count++) {
    const code = value.charCodeAt(index);
    // The country code and check digits are moved to the end: the BBAN is read first.
    if (count > 4) remainder = mod97(remainder, code);
    const next = value.charCodeAt(index + 1);
    meter.reads += 2;
    if (count === length) {
      if (isWordCharacter(next)) return -1;
      break;
    }
    if (isAlphanumeric(next)) index += 1;
    else if (next === 32 && isAlphanumeric(value.charCodeAt(index + 2))) index += 2;
    else return -1;
  }
  for (let offset = 0; offset < 4; offset++) remainder = mod97(remainder, value.charCodeAt(start + offset));
  return remainder === 1 ? index : -1;
}

/**
 * IBANs by value: a country code, two check digits and the country's number of letters and
 * digits (print format with single spaces accepted), standing as a word of their own and passing
 * the mod-97 check, are masked to their last 4 characters. Unknown countries are not matched.
 *
 * Worst case: 4 characters per start position for the hint, and at most 70 reads per candidate
 * (which needs a word boundary and 4 characters of its own), so at most about 18 reads per input
 * character (`MT31 MT31 MT31 ...`).
 */
export const ibanRecogniser: SecretRecogniser = {
  name: 'iban',
  hint: HINT,
  replaceAll(value: string, _censor: string, meter: ScanMeter): string {
    let out = '';
    let copied = 0;
    let from = 0;
    for (;;) {
      ANCHOR.lastIndex = from;
      const found = ANCHOR.exec(value);
      if (found === null) {
        meter.reads += value.length - from;
        break;
      }
      const start = found.index;
      meter.reads += start - from + 4;
      const length = IBAN_LENGTHS.get(value.slice(start, start + 2).toUpperCase());
      const end = length === undefined ? -1 : ibanEnd(value, start, length, meter);
      if (end === -1) {
        from = start + 1;
        continue;
      }
      out += value.slice(copied, start) + maskLast4(value.slice(start, end + 1));
      copied = from = end + 1;
    }
    return copied === 0 ? value : out + value.slice(copied);
  },
};
