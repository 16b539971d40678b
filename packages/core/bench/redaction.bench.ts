import { compare } from '../../../bench/harness.js';
import { createRedactor } from '../dist/index.js';

// Redaction cost per KiB: each case redacts one 16 KiB string whole (no length bound), so the
// figures are per KiB of input; the baseline is what writing the same ordinary text costs.
const KIB = 16;
const redactor = createRedactor();
const text = (unit: string) => unit.repeat(Math.ceil((KIB * 1024) / unit.length)).slice(0, KIB * 1024);
const prose = text('Order o-1842 for AAPL filled at 189.50 on XNAS by strategy mm-1; latency within budget. ');
const withSecrets = text(
  'Order o-1842 filled, card 4111 1111 1111 1111, refund DE89 3704 0044 0532 0130 00, Authorization: Bearer mF_9.B5f-4.1JqM, db postgres://u:pw@db/x, token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln. ',
);
const adversarial: Readonly<Record<string, string>> = {
  'adversarial `eyJ-` repeated (the old JWT expression: quadratic)': text('eyJ-'),
  'adversarial `1 1 1 ...` (card numbers: worst case)': text('1 '),
  'adversarial `BE12 BE12 ...` (IBANs: worst case)': text('BE12 '),
  'adversarial `//a:` repeated (URL passwords: worst case)': text('//a:'),
};
// The default expressions this scanner replaced, for the record (same input as the first adversarial case).
const previous = [
  /\b(?:\d[ -]?){12,18}\d\b/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  /(\/\/[^/\s:@]+:)[^/\s@]+@/g,
];
let sink = 0;
const redact = (value: string) => {
  sink += redactor.redactString(value, value.length).length;
};
const ordinaryWithSecrets = 'redactString: ordinary text with secrets (card, IBAN, bearer, URL password, JWT)';

await compare({
  suite: 'core-redaction',
  title: '@jts/core: redaction cost per KiB, ordinary and adversarial input',
  description: `One \`redactor.redactString\` of a ${KIB} KiB string with the default policy (the fast path every signal uses), reported per KiB. Baseline: \`JSON.stringify\` of the same ordinary text, what writing it costs anyway. Adversarial cases are each recogniser's worst input as counted by the scanner's work meter; the last row runs the previous default expressions on the first adversarial input (quadratic: its cost per KiB grows with the length). Every signal cuts strings at \`maxStringLength\` (16 KiB by default) before this step, so a row is also the cost of the longest string one value can carry.`,
  operationsPerCall: KIB,
  cases: [
    {
      name: 'JSON.stringify of ordinary text (no redaction)',
      baseline: true,
      fn: () => void (sink += JSON.stringify(prose).length),
    },
    { name: 'redactString: ordinary text, nothing to redact', fn: () => redact(prose) },
    { name: ordinaryWithSecrets, fn: () => redact(withSecrets) },
    ...Object.entries(adversarial).map(([name, value]) => ({ name: `redactString: ${name}`, fn: () => redact(value) })),
    {
      name: 'previous default expressions on `eyJ-` repeated (before this scanner)',
      fn: () => {
        let out = Object.values(adversarial)[0]!;
        for (const pattern of previous) out = out.replace(pattern, '[REDACTED]');
        sink += out.length;
      },
    },
  ],
  goals: Object.keys(adversarial).map((name) => ({
    case: `redactString: ${name}`,
    against: ordinaryWithSecrets,
    text: `${name.split(' (')[0]}: at most 5x the cost per KiB of ordinary text with secrets (linear, no blow-up)`,
    maxTimeRatio: 5,
  })),
});
if (sink === -1) console.log(sink);
