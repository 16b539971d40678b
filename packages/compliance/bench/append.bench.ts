// Durable appends per second with group commit at 1, 16 and 256 concurrent writers, against a raw
// fd write + fdatasync per record. Every case appends 256 records per operation, so the time
// ratios compare like with like. Run: node --import tsx packages/compliance/bench/append.bench.ts
import { generateKeyPairSync } from 'node:crypto';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare } from '../../../bench/harness.js';
import { type AuditTrail, createAuditTrail } from '../src/index.js';

const PER_OP = 256;
const directory = mkdtempSync(join(tmpdir(), 'jts-audit-bench-'));
const { privateKey } = generateKeyPairSync('ed25519');
const payload = { orderId: 'o-123456', symbol: 'AAPL', side: 'buy', quantity: 100, price: 187.23, strategy: 'mm-1' };
const line = `${JSON.stringify({ seq: 1, ts: new Date().toISOString(), type: 'order.filled', payload })}\n`;
let fd = -1;
let audit: AuditTrail | undefined;

async function writers(count: number): Promise<void> {
  const each = PER_OP / count;
  await Promise.all(
    Array.from({ length: count }, async () => {
      for (let index = 0; index < each; index += 1) await audit!.record({ type: 'order.filled', payload });
    }),
  );
}

const open = (name: string) => () => {
  audit = createAuditTrail({
    directory: join(directory, name),
    signingKey: privateKey,
    maxFileBytes: 256 * 1024 * 1024,
  });
};
const close = async () => {
  await audit?.close();
  audit = undefined;
};

const results = await compare({
  suite: 'compliance-append',
  title: '@jts/compliance: durable audit appends (group commit)',
  description: `Each operation appends ${PER_OP} records and resolves once they are fdatasync'd. Baseline: a raw fd write + fdatasync per record. The audit cases build the full record (context, redaction, RFC 8785, SHA-256 chain, checkpoint every 1000) and share one fdatasync among the records waiting (group commit). Records/s = ops/s x ${PER_OP}.`,
  cases: [
    {
      name: `raw write+fdatasync per record (${PER_OP} sequential)`,
      baseline: true,
      setup: () => void (fd = openSync(join(directory, 'raw.jsonl'), 'a')),
      teardown: () => closeSync(fd),
      fn: () => {
        for (let index = 0; index < PER_OP; index += 1) {
          writeSync(fd, line);
          fdatasyncSync(fd);
        }
      },
    },
    { name: 'audit.record, 1 writer', setup: open('w1'), teardown: close, fn: () => writers(1) },
    { name: 'audit.record, 16 writers', setup: open('w16'), teardown: close, fn: () => writers(16) },
    { name: 'audit.record, 256 writers', setup: open('w256'), teardown: close, fn: () => writers(256) },
  ],
  goals: [
    {
      case: 'audit.record, 256 writers',
      text: 'at least 20,000 durable records/s with 256 writers (absolute goal; see the records/s line)',
      minThroughputRatio: 1,
    },
  ],
});
for (const row of results) console.log(`${row.name}: ${Math.round(row.opsPerSec * PER_OP)} durable records/s`);
const best = results.find((row) => row.name === 'audit.record, 256 writers');
const recordsPerSecond = (best?.opsPerSec ?? 0) * PER_OP;
console.log(
  `${recordsPerSecond >= 20_000 ? 'MET' : 'NOT MET'}: >= 20,000 durable records/s with 256 writers (${Math.round(recordsPerSecond)})`,
);
rmSync(directory, { recursive: true, force: true });
