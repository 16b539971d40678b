// Long-term storage for real: the shipped remote_write block, pointed at Debian's VictoriaMetrics
// on loopback, carries the service's catalog metrics there, queryable through the Prometheus
// query API, with the replica external label that tells replicas apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../../../packages/trace/test/support/otlp-receiver.js';
import { requireBinary } from '../../../test/support/infra-binaries.js';
import { eventually, freePort, type RunningPrometheus, startPrometheus } from '../../../test/support/prometheus.js';
import { type InstrumentedService, startInstrumentedService } from '../support/instrumented-service.js';
import { prometheusConfigForTest } from '../support/loopback-configs.js';
import { documentedPrometheusFlags } from '../support/prometheus-flags.js';
import { type RunningVictoriaMetrics, startVictoriaMetrics } from '../support/victoria-metrics.js';

const binaries = { prometheus: requireBinary('prometheus'), victoriaMetrics: requireBinary('victoria-metrics') };

describe.skipIf(Object.values(binaries).includes(undefined))('remote_write to VictoriaMetrics', () => {
  let otlp: OtlpReceiver;
  let service: InstrumentedService;
  let victoria: RunningVictoriaMetrics;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    otlp = await startOtlpReceiver({ keepSpans: false });
    service = await startInstrumentedService({ otlpTracesUrl: otlp.url });
    victoria = await startVictoriaMetrics(binaries.victoriaMetrics!);
    const port = await freePort();
    prometheus = await startPrometheus({
      binary: binaries.prometheus!,
      port,
      config: prometheusConfigForTest({
        targets: { 'order-service': [service.target], prometheus: [`127.0.0.1:${port}`] },
        alertmanagers: [],
        remoteWriteUrl: victoria.writeUrl,
      }),
      args: documentedPrometheusFlags(),
      env: { PROMETHEUS_REPLICA: 'prometheus-0' },
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await victoria?.stop();
    await service?.close();
    await otlp?.close();
  });

  it('makes a catalog metric of the service queryable in the long-term store', async () => {
    const stored = await eventually(
      async () => {
        const result = await victoria.query('order_execution_total{service="order-service", status="success"}');
        return result.length > 0 && Number(result[0]!.value[1]) > 0 ? result : undefined;
      },
      60_000,
      `order_execution_total in VictoriaMetrics\n${prometheus.logs()}`,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.metric).toMatchObject({
      __name__: 'order_execution_total',
      job: 'order-service',
      service: 'order-service',
      instance: service.target,
      strategy_id: 'mm-1',
      symbol: 'AAPL',
      exchange: 'XNAS',
      status: 'success',
      // External labels travel with remote_write: the replica tells two writers apart.
      cluster: 'jts',
      replica: 'prometheus-0',
    });
    // The same sample in both stores at the same instant.
    const at = Number(stored[0]!.value[0]) - 2;
    const selector = 'order_execution_total{service="order-service", status="success"}';
    const local = (await prometheus.query(`${selector} @ ${at}`)) as { value: [number, string] }[];
    expect(Number(local[0]!.value[1])).toBeGreaterThan(0);
    expect((await victoria.query(selector, at))[0]!.value[1]).toBe(local[0]!.value[1]);
    // The corrected quantile query answers there too.
    const quantile = await victoria.query(
      'histogram_quantile(0.99, sum by (le) (rate(order_execution_duration_seconds_bucket{service="order-service"}[1m])))',
    );
    expect(quantile).toHaveLength(1);
    expect(Number(quantile[0]!.value[1])).toBeGreaterThan(0);
  });

  it('leaves out the scrape-health series the write_relabel_configs drop, and reports its queue', async () => {
    await eventually(
      async () => ((await victoria.query('up{job="prometheus"}')).length > 0 ? true : undefined),
      60_000,
      'up in VictoriaMetrics',
    );
    expect((await prometheus.query('scrape_duration_seconds{job="order-service"}')).length).toBe(1);
    expect(await victoria.query('scrape_duration_seconds')).toEqual([]);
    // The remote-write self-metrics PrometheusRemoteWriteBehind reads exist on the real binary.
    for (const name of [
      'prometheus_remote_storage_highest_timestamp_in_seconds',
      'prometheus_remote_storage_queue_highest_sent_timestamp_seconds',
    ]) {
      const series = (await prometheus.query(`${name}{job="prometheus"}`)) as { metric: Record<string, string> }[];
      expect(series.length, name).toBeGreaterThan(0);
    }
    const queue = (await prometheus.query('prometheus_remote_storage_queue_highest_sent_timestamp_seconds')) as {
      metric: Record<string, string>;
    }[];
    expect(queue[0]!.metric.remote_name).toBe('long-term');
  });
});
