// Durable appends per second with group commit at 1, 16 and 256 concurrent writers, against a raw
// fd write + fdatasync per record. Every case appends 256 records per operation, so the time
// ratios compare like with like. Every record is a different order's, made inside that order's
// own context (new correlation ID and trading fields), as a service records an order's fill.
// Run: node --import tsx packages/compliance/bench/append.bench.ts
import { generateKeyPairSync } from 'node:crypto';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWithContext } from '../../core/dist/index.js';
import { compare } from '../../../bench/harness.js';
import { type AuditTrail, createAuditTrail } from '../dist/index.js';

const PER_OP = 256;
const directory = mkdtempSync(join(tmpdir(), 'jts-audit-bench-'));
const { privateKey } = generateKeyPairSync('ed25519');
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA'];
// 1024 orders built up front (cycled), each with its own correlation ID, order ID and fill payload.
const ORDERS = Array.from({ length: 1024 }, (_unused, index) => {
  const orderId = `o-${100_000 + index}`;
  const symbol = SYMBOLS[index & 3]!;
  const side = (index & 4) === 0 ? 'buy' : 'sell';
  return {
    context: {
      correlationId: `corr-${100_000 + index}`,
      orderId,
      strategyId: 'mm-1',
      symbol,
      exchange: 'XNAS',
      side,
      orderType: 'limit',
    },
    payload: { orderId, symbol, side, quantity: 100, price: 187.23, strategy: 'mm-1' },
  };
});
let sequence = 0;
const nextOrder = () => ORDERS[sequence++ & 1023]!;
let fd = -1;
let audit: AuditTrail | undefined;

/** What a hand-wired service writes per record: the order's correlation and trading fields, its payload. */
function rawLine(order: (typeof ORDERS)[number], seq: number): string {
  const { correlationId, ...trading } = order.context;
  const record = {
    seq,
    ts: new Date().toISOString(),
    type: 'order.filled',
    correlation_id: correlationId,
    'trading.order_id': trading.orderId,
    'trading.strategy_id': trading.strategyId,
    'trading.symbol': trading.symbol,
    'trading.exchange': trading.exchange,
    'trading.side': trading.side,
    'trading.order_type': trading.orderType,
    payload: order.payload,
  };
  return `${JSON.stringify(record)}\n`;
}

async function writers(count: number): Promise<void> {
  const each = PER_OP / count;
  await Promise.all(
    Array.from({ length: count }, async () => {
      for (let index = 0; index < each; index += 1) {
        const order = nextOrder();
        await runWithContext(order.context, () => audit!.record({ type: 'order.filled', payload: order.payload }));
      }
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
  description: `Each operation appends ${PER_OP} records and resolves once they are fdatasync'd. Every record is a different order's fill (1024 orders built up front, cycled): the audit cases record it inside the order's own new context (runWithContext with its correlation ID and 6 trading fields), so each record carries that order's correlation_id and trading.* fields; the baseline serialises the same fields and payload per record (JSON.stringify) and does a raw fd write + fdatasync per record. The audit cases build the full record (context, redaction, RFC 8785, SHA-256 chain, checkpoint every 1000) and share one fdatasync among the records waiting (group commit). Records/s = ops/s x ${PER_OP}.`,
  cases: [
    {
      name: `raw write+fdatasync per record (${PER_OP} sequential)`,
      baseline: true,
      setup: () => void (fd = openSync(join(directory, 'raw.jsonl'), 'a')),
      teardown: () => closeSync(fd),
      fn: () => {
        for (let index = 0; index < PER_OP; index += 1) {
          writeSync(fd, rawLine(nextOrder(), index + 1));
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
