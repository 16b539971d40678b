// `npm run demo` for real, briefly: four example services as separate processes under a few
// seconds of order flow. Checked from the files they wrote, not from what the demo printed: one
// correlation ID in the logs of the strategy engine, the market-data service and the order
// service; one trace whose spans come from those processes with parent links that cross them
// exactly where the HTTP calls do; audit trails that verify. And a service that cannot start is
// named. With --stack, the local Prometheus and Alertmanager run the infra/ configs against the
// services until Ctrl-C. (One file: the runs share one build of the examples.)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '@jts/compliance';
import { parse } from 'yaml';
import { ensureDemoBuilt, jsonLines, runDemo, type DemoRun } from './support/demo-run.js';
import { binaryOrSkip } from './support/infra-binaries.js';
import { eventually } from './support/prometheus.js';

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

  it("exits 0 and tells one order's story", () => {
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    for (const heading of [
      "One order's story",
      '1. Its log lines',
      '2. Its trace',
      '3. Its latency sample',
      '4. Its audit records',
      '5. Where to look for more',
      'demo complete',
    ]) {
      expect(run.stdout).toContain(heading);
    }
    expect(run.stdout).toMatch(
      /orders\/s \|\s+\d+ orders \| latency p50 [\d.]+ ms p95 [\d.]+ ms p99 [\d.]+ ms \| rejected \d+ \| errors \d+ \| \d+ s left/,
    );
  });

  it('writes one correlation ID into the logs of the strategy engine, the market-data service and the order service', () => {
    const story = JSON.parse(readFileSync(join(directory, 'story.json'), 'utf8')) as {
      correlationId: string;
      traceId: string;
      orderId: string;
    };
    const ids = (service: string) =>
      new Set(
        log(service)
          .map((line) => line.correlation_id)
          .filter((id) => typeof id === 'string'),
      );
    const [engine, market, orders] = ['strategy-engine', 'market-data', 'order-service'].map(ids);
    expect(
      engine!.has(story.correlationId) && market!.has(story.correlationId) && orders!.has(story.correlationId),
    ).toBe(true);
    // Not one lucky order: most orders the engine sent are in all three logs under their own ID.
    const shared = [...orders!].filter((id) => engine!.has(id) && market!.has(id));
    expect(shared.length).toBeGreaterThan(5);
    // The order service's lines of that flow carry the story's order and trace.
    const flow = log('order-service').filter((line) => line.correlation_id === story.correlationId);
    expect(flow.some((line) => line['trading.order_id'] === story.orderId && line['trace.id'] === story.traceId)).toBe(
      true,
    );
    expect(run.stdout).toContain(story.correlationId);
  });

  it('exports one trace whose spans come from three processes, linked where the calls cross them', () => {
    const story = JSON.parse(readFileSync(join(directory, 'story.json'), 'utf8')) as { traceId: string };
    const spans = (jsonLines(join(directory, 'spans.jsonl')) as unknown as Span[]).filter(
      (span) => span.traceId === story.traceId,
    );
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const parentOf = (span: Span) => byId.get(span.parentSpanId);
    expect(new Set(spans.map((span) => span.service)).size).toBeGreaterThanOrEqual(3);
    const roots = spans.filter((span) => parentOf(span) === undefined);
    expect(roots.map((span) => [span.name, span.service, span.parentSpanId])).toEqual([
      ['strategy.execution', 'strategy-engine', ''],
    ]);
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

  it("keeps audit trails that verify, sealed at shutdown, with the order's decision and events", async () => {
    const story = JSON.parse(readFileSync(join(directory, 'story.json'), 'utf8')) as { correlationId: string };
    const records = (service: string) =>
      readdirSync(join(directory, 'audit', service))
        .filter((name) => name.endsWith('.jsonl'))
        .sort()
        .flatMap((name) => jsonLines(join(directory, 'audit', service, name)));
    for (const service of ['order-service', 'strategy-engine']) {
      const result = await verifyAuditTrail(
        join(directory, 'audit', service),
        readFileSync(join(directory, 'keys', `${service}.pub.pem`)),
      );
      expect(result.ok, `${service}: ${result.problem?.message}`).toBe(true);
      expect(result.sealed).toBe(true);
      expect(result.records).toBeGreaterThan(10);
    }
    const types = (service: string) =>
      records(service)
        .filter((record) => record.correlation_id === story.correlationId)
        .map((record) => record.type);
    expect(types('strategy-engine')).toContain('trading.decision');
    expect(types('order-service')).toEqual(expect.arrayContaining(['risk.decision', 'order.submitted']));
    expect(types('order-service').some((type) => type === 'order.filled' || type === 'order.rejected')).toBe(true);
  });
});

describe('npm run demo when a service cannot start', () => {
  it('names the service, shows why, and exits non-zero', async () => {
    // The services take their configuration from the environment the demo inherits: a bad value
    // stops the order service at start-up with a message naming the variable.
    const run = await runDemo(['--duration', '2', '--dir', join(scratch, 'misconfigured')], {
      env: { RISK_MAX_ORDER_NOTIONAL: '-5' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✖ order-service failed to start: exited (code 1)');
    expect(run.stdout).toContain('RISK_MAX_ORDER_NOTIONAL=-5: expected a positive number');
    expect(run.stderr).toContain('demo failed: order-service failed to start');
    expect(run.stdout).not.toMatch(/(exchange-simulator|market-data|strategy-engine) failed/);
    // A directory holding an earlier run is refused (its trails are signed with other keys).
    mkdirSync(join(scratch, 'used', 'logs'), { recursive: true });
    const again = await runDemo(['--duration', '2', '--dir', join(scratch, 'used')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('not empty; give a new or empty directory');
  }, 60_000);
});

describe('npm run demo -- --stack', () => {
  it('scrapes every service with the shipped rules loaded, then stops everything on SIGINT', async (context) => {
    binaryOrSkip('prometheus', context);
    binaryOrSkip('prometheus-alertmanager', context);
    const directory = join(scratch, 'stack');
    let checks: Promise<void> | undefined;
    const run = await runDemo(['--duration', '3', '--stack', '--dir', directory], {
      timeoutMs: 90_000,
      onOutput(stdout, child) {
        if (checks !== undefined || !stdout.includes('The stack keeps running')) return;
        const prometheus = /The stack keeps running: Prometheus (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
        const alertmanager = /Alertmanager (http:\/\/127\.0\.0\.1:\d+)\. Ctrl-C/.exec(stdout)![1]!;
        const query = async (promql: string) =>
          (
            (await (await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as {
              data: { result: { metric: Record<string, string>; value: [number, string] }[] };
            }
          ).data.result;
        checks = (async () => {
          const up = await eventually(
            async () => {
              const result = await query('up == 1');
              const jobs = result.map((sample) => sample.metric.job).sort();
              return jobs.length >= 6 ? jobs : undefined;
            },
            20_000,
            'every target up',
          );
          expect(up).toEqual([
            'alertmanager',
            'exchange-simulator',
            'market-data',
            'order-service',
            'prometheus',
            'strategy-engine',
          ]);
          const orders = await eventually(
            async () => (await query('sum(order_execution_total)'))[0]?.value[1] ?? undefined,
            10_000,
            'order_execution_total scraped',
          );
          expect(Number(orders)).toBeGreaterThan(0);
          const rules = (await (await fetch(`${prometheus}/api/v1/rules`)).json()) as { data: { groups: unknown[] } };
          expect(rules.data.groups.length).toBeGreaterThan(0);
          const alertmanagers = (await (await fetch(`${prometheus}/api/v1/alertmanagers`)).json()) as {
            data: { activeAlertmanagers: { url: string }[] };
          };
          expect(alertmanagers.data.activeAlertmanagers.map((entry) => entry.url)).toEqual([
            `${alertmanager}/api/v2/alerts`,
          ]);
          expect((await fetch(`${alertmanager}/-/ready`)).ok).toBe(true);
        })().finally(() => child.kill('SIGINT'));
      },
    });
    await checks;
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('demo complete');
    // The configs the stack ran are the shipped ones, targets rewritten to loopback.
    const config = parse(readFileSync(join(directory, 'stack/prometheus.yml'), 'utf8'));
    expect(config.rule_files).toEqual(['rules/*.yml']);
    expect(
      config.scrape_configs.find((job: { job_name: string }) => job.job_name === 'order-service').static_configs[0]
        .targets[0],
    ).toMatch(/^127\.0\.0\.1:\d+$/);
  }, 120_000);
});
