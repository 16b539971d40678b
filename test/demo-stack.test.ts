// `npm run demo -- --stack`: the local Prometheus and Alertmanager started with the infra/ configs,
// scraping the demo's services on their loopback ports, kept running until Ctrl-C.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureDemoBuilt, runDemo } from './support/demo-run.js';
import { binaryOrSkip } from './support/infra-binaries.js';
import { eventually } from './support/prometheus.js';

const scratch = mkdtempSync(join(tmpdir(), 'jts-demo-stack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => ensureDemoBuilt(), 120_000);

it('scrapes every service with the shipped rules loaded, then stops everything on SIGINT', async (context) => {
  binaryOrSkip('prometheus', context);
  binaryOrSkip('prometheus-alertmanager', context);
  const directory = join(scratch, 'run');
  let checks: Promise<void> | undefined;
  const run = await runDemo(['--duration', '3', '--stack', '--dir', directory], {
    timeoutMs: 90_000,
    onOutput(stdout, child) {
      if (checks !== undefined || !stdout.includes('The stack keeps running')) return;
      const prometheus = /The stack keeps running: Prometheus (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
      const alertmanager = /Alertmanager (http:\/\/127\.0\.0\.1:\d+)\. Ctrl-C/.exec(stdout)![1]!;
      const query = async (promql: string) => ((await (await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
      checks = (async () => {
        const up = await eventually(async () => {
          const result = await query('up == 1');
          const jobs = result.map((sample) => sample.metric.job).sort();
          return jobs.length >= 5 ? jobs : undefined;
        }, 20_000, 'every target up');
        expect(up).toEqual(['alertmanager', 'market-data', 'order-service', 'prometheus', 'strategy-engine']);
        const orders = await eventually(async () => ((await query('sum(order_execution_total)'))[0]?.value[1] ?? undefined), 10_000, 'order_execution_total scraped');
        expect(Number(orders)).toBeGreaterThan(0);
        const rules = (await (await fetch(`${prometheus}/api/v1/rules`)).json()) as { data: { groups: unknown[] } };
        expect(rules.data.groups.length).toBeGreaterThan(0);
        const alertmanagers = (await (await fetch(`${prometheus}/api/v1/alertmanagers`)).json()) as { data: { activeAlertmanagers: { url: string }[] } };
        expect(alertmanagers.data.activeAlertmanagers.map((entry) => entry.url)).toEqual([`${alertmanager}/api/v2/alerts`]);
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
  expect(config.scrape_configs.find((job: { job_name: string }) => job.job_name === 'order-service').static_configs[0].targets[0]).toMatch(/^127\.0\.0\.1:\d+$/);
}, 120_000);
