// Verification throughput: verifyAuditTrail over an in-memory trail, against a raw pass that only
// hashes and parses each line. Run: node --import tsx packages/compliance/bench/verify.bench.ts
import crypto, { generateKeyPairSync } from 'node:crypto';
import { compare } from '../../../bench/harness.js';
import { verifyAuditTrail } from '../dist/index.js';
import { buildMemoryTrail } from '../test/support/build-trail.js';

const RECORDS = 20_000;
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const trail = buildMemoryTrail(RECORDS, privateKey, { every: 1000 });
const count = trail.records.length;
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: Buffer, encoding: 'hex') => string }).hash;

const results = await compare({
  suite: 'compliance-verify',
  title: '@jts/compliance: audit trail verification',
  description: `Each operation verifies a ${count}-record trail held in memory (about ${Math.round(trail.data.length / count)} bytes per record; a signed checkpoint every 1000). Baseline: split lines, SHA-256 each line (one-shot crypto.hash where available) and JSON.parse it, with no chain, sequence, timestamp or signature checks. Records/s = ops/s x ${count}.`,
  cases: [
    {
      name: 'raw: SHA-256 + JSON.parse per line',
      baseline: true,
      fn: () => {
        const data = trail.data;
        for (let start = 0; start < data.length; ) {
          const end = data.indexOf(10, start);
          if (oneShot) oneShot('sha256', data.subarray(start, end), 'hex');
          else crypto.createHash('sha256').update(data.subarray(start, end)).digest('hex');
          JSON.parse(data.toString('utf8', start, end));
          start = end + 1;
        }
      },
    },
    {
      name: 'verifyAuditTrail (full checks)',
      fn: () => verifyAuditTrail({ name: 'bench', data: trail.data }, publicKey, { trustedCheckpoint: trail.seal }),
    },
  ],
  goals: [
    {
      case: 'verifyAuditTrail (full checks)',
      text: 'at least 200,000 records/s (absolute goal; see the records/s line); within 1.5x of the raw hash+parse pass',
      maxTimeRatio: 1.5,
    },
  ],
});
for (const row of results) console.log(`${row.name}: ${Math.round(row.opsPerSec * count)} records/s`);
const full = results.find((row) => row.name.startsWith('verifyAuditTrail'));
const perSecond = (full?.opsPerSec ?? 0) * count;
console.log(`${perSecond >= 200_000 ? 'MET' : 'NOT MET'}: >= 200,000 verified records/s (${Math.round(perSecond)})`);
