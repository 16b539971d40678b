// `npm run demo` for real, briefly: four example services as separate processes under a few
// seconds of order flow. Checked from the files they wrote, not from what the demo printed: one
// correlation ID in the logs of the strategy engine, the market-data service and the order
// service; one trace whose spans come from those processes with parent links that cross them
// exactly where the HTTP calls do; audit trails that verify. And a service that cannot start is
// named.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditTrail, generateAuditKeyPair, verifyAuditTrail } from '@jts/compliance';
import { ensureDemoBuilt, jsonLines, runDemo, type DemoRun } from './support/demo-run.js';

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string;
}

const scratch = mkdtempSync(join(tmpdir(), 'jts-demo-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => ensureDemoBuilt(), 120_000);

describe('npm run demo, across real processes', () => {
  const directory = join(scratch, 'run');
  let run: DemoRun;
  const log = (service: string) => jsonLines(join(directory, 'logs', `${service}.log`));

  beforeAll(async () => {
    run = await runDemo(['--duration', '4', '--dir', directory]);
  }, 60_000);

  it('exits 0 and tells one order\'s story', () => {
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    for (const heading of ["One order's story", '1. Its log lines', '2. Its trace', '3. Its latency sample', '4. Its audit records', '5. Where to look for more', 'demo complete']) {
      expect(run.stdout).toContain(heading);
    }
    expect(run.stdout).toMatch(/orders\/s \|\s+\d+ orders \| latency p50 [\d.]+ ms p95 [\d.]+ ms p99 [\d.]+ ms \| rejected \d+ \| errors \d+ \| \d+ s left/);
  });

  it('writes one correlation ID into the logs of the strategy engine, the market-data service and the order service', () => {
    const story = JSON.parse(readFileSync(join(directory, 'story.json'), 'utf8')) as { correlationId: string; traceId: string; orderId: string };
    const ids = (service: string) => new Set(log(service).map((line) => line.correlation_id).filter((id) => typeof id === 'string'));
    const [engine, market, orders] = ['strategy-engine', 'market-data', 'order-service'].map(ids);
    expect(engine!.has(story.correlationId) && market!.has(story.correlationId) && orders!.has(story.correlationId)).toBe(true);
    // Not one lucky order: most orders the engine sent are in all three logs under their own ID.
    const shared = [...orders!].filter((id) => engine!.has(id) && market!.has(id));
    expect(shared.length).toBeGreaterThan(5);
    // The order service's lines of that flow carry the story's order and trace.
    const flow = log('order-service').filter((line) => line.correlation_id === story.correlationId);
    expect(flow.some((line) => line['trading.order_id'] === story.orderId && line['trace.id'] === story.traceId)).toBe(true);
    expect(run.stdout).toContain(story.correlationId);
  });

  it('exports one trace whose spans come from three processes, linked where the calls cross them', () => {
    const story = JSON.parse(readFileSync(join(directory, 'story.json'), 'utf8')) as { traceId: string };
    const spans = (jsonLines(join(directory, 'spans.jsonl')) as unknown as Span[]).filter((span) => span.traceId === story.traceId);
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const parentOf = (span: Span) => byId.get(span.parentSpanId);
    expect(new Set(spans.map((span) => span.service)).size).toBeGreaterThanOrEqual(3);
    const roots = spans.filter((span) => parentOf(span) === undefined);
    expect(roots.map((span) => [span.name, span.service, span.parentSpanId])).toEqual([['strategy.execution', 'strategy-engine', '']]);
    const one = (name: string, service: string) => {
      const found = spans.filter((span) => span.name === name && span.service === service);
      expect(found, `${name} in ${service}`).toHaveLength(1);
      return found[0]!;
    };
    expect(parentOf(one('GET /quotes/:symbol', 'market-data'))).toBe(roots[0]);
    const orderRequest = one('POST /orders', 'order-service');
    expect(parentOf(orderRequest)).toBe(roots[0]);
    const execution = one('order.execution', 'order-service');
    expect(parentOf(execution)).toBe(orderRequest);
    expect(parentOf(one('risk.check', 'order-service'))).toBe(orderRequest);
    const brokerCall = one('broker.api_call', 'order-service');
    expect(parentOf(brokerCall)).toBe(execution);
    expect(parentOf(one('POST /v1/orders', 'exchange-simulator'))).toBe(brokerCall);
  });

  it('keeps audit trails that verify, sealed at shutdown, with the order\'s decision and events', async () => {
    const story = JSON.parse(readFileSync(join(directory, 'story.json'), 'utf8')) as { correlationId: string };
    const records = (service: string) =>
      readdirSync(join(directory, 'audit', service))
        .filter((name) => name.endsWith('.jsonl'))
        .sort()
        .flatMap((name) => jsonLines(join(directory, 'audit', service, name)));
    for (const service of ['order-service', 'strategy-engine']) {
      const result = await verifyAuditTrail(join(directory, 'audit', service), readFileSync(join(directory, 'keys', `${service}.pub.pem`)));
      expect(result.ok, `${service}: ${result.problem?.message}`).toBe(true);
      expect(result.sealed).toBe(true);
      expect(result.records).toBeGreaterThan(10);
    }
    const types = (service: string) => records(service).filter((record) => record.correlation_id === story.correlationId).map((record) => record.type);
    expect(types('strategy-engine')).toContain('trading.decision');
    expect(types('order-service')).toEqual(expect.arrayContaining(['risk.decision', 'order.submitted']));
    expect(types('order-service').some((type) => type === 'order.filled' || type === 'order.rejected')).toBe(true);
  });
});

describe('npm run demo when a service cannot start', () => {
  it('names the service, shows why, and exits non-zero', async () => {
    const directory = join(scratch, 'locked');
    // Another writer holds the order service's audit trail: its start fails with JTS_ERR_AUDIT_LOCKED.
    const holder = createAuditTrail({ directory: join(directory, 'audit', 'order-service'), signingKey: generateAuditKeyPair().privateKeyPem, flushOnExit: false });
    try {
      const run = await runDemo(['--duration', '2', '--dir', directory]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('✖ order-service failed to start');
      expect(run.stdout).toContain('JTS_ERR_AUDIT_LOCKED');
      expect(run.stderr).toContain('demo failed: order-service failed to start');
      expect(run.stdout).not.toContain('strategy-engine failed');
    } finally {
      await holder.close();
    }
  }, 60_000);
});
