// Backup and restore for real: a TSDB snapshot taken through the admin API of a Prometheus
// started with the documented flags, copied into an empty data directory, serves a fresh
// Prometheus that answers the same queries (docs/runbooks/restore-prometheus-snapshot.md).
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../../../packages/trace/test/support/otlp-receiver.js';
import { requireBinary } from '../../../test/support/infra-binaries.js';
import { eventually, type RunningPrometheus, startPrometheus } from '../../../test/support/prometheus.js';
import { type InstrumentedService, startInstrumentedService } from '../support/instrumented-service.js';
import { prometheusConfigForTest } from '../support/loopback-configs.js';
import { documentedPrometheusFlags } from '../support/prometheus-flags.js';

const prometheusBinary = requireBinary('prometheus');
const QUERIES = [
  'order_execution_total{service="order-service", status="success"}',
  'sum by (le) (order_execution_duration_seconds_bucket{service="order-service"})',
  'increase(order_execution_total{service="order-service"}[5s])',
  'count({service="order-service"})',
];

describe.skipIf(prometheusBinary === undefined)('Prometheus TSDB snapshot and restore', () => {
  let otlp: OtlpReceiver;
  let service: InstrumentedService;
  let source: RunningPrometheus;
  let restored: RunningPrometheus | undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'jts-restore-'));

  beforeAll(async () => {
    otlp = await startOtlpReceiver({ keepSpans: false });
    service = await startInstrumentedService({ otlpTracesUrl: otlp.url });
    source = await startPrometheus({
      binary: prometheusBinary!,
      config: prometheusConfigForTest({ targets: { 'order-service': [service.target] }, alertmanagers: [] }),
      args: documentedPrometheusFlags(),
      env: { PROMETHEUS_REPLICA: 'prometheus-0' },
    });
  });

  afterAll(async () => {
    await restored?.stop();
    await source?.stop();
    await service?.close();
    await otlp?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('answers the same queries from the restored snapshot', async () => {
    await eventually(
      async () =>
        (
          await source.query(
            'count_over_time(order_execution_total{service="order-service", status="success"}[1m]) >= 6',
          )
        ).length > 0
          ? true
          : undefined,
      30_000,
      'six scrapes of orders',
    );
    const at = Math.floor(Date.now() / 1000) - 1;
    const before = await Promise.all(QUERIES.map((query) => source.query(query, at)));
    for (const [index, result] of before.entries()) expect(result.length, QUERIES[index]).toBeGreaterThan(0);

    const response = await fetch(`${source.url}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { name: string } };
    const snapshot = join(source.directory, 'data', 'snapshots', data.name);
    expect(readdirSync(snapshot).length).toBeGreaterThan(0);
    const dataDirectory = join(scratch, 'data');
    cpSync(snapshot, dataDirectory, { recursive: true });
    await source.stop();

    // A fresh server on the copy, scraping nothing, so only restored samples can answer.
    restored = await startPrometheus({
      binary: prometheusBinary!,
      targets: [],
      dataDirectory,
      args: documentedPrometheusFlags(),
      env: { PROMETHEUS_REPLICA: 'prometheus-0' },
    });
    const after = await Promise.all(QUERIES.map((query) => restored!.query(query, at)));
    expect(after).toEqual(before);
  });
});
