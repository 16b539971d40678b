// The scale-out configurations (infra/scale-out/) are not started here (no Docker); what can be
// checked without their images is: the remote_write block loads in Prometheus, the cluster's
// components point at each other, and the collector's pipeline names only defined components.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { requireBinary } from '../../test/support/infra-binaries.js';
import { INFRA_DIR, PROMETHEUS_DIR } from './support/infra-paths.js';
import { runTool } from './support/run-tool.js';

const promtool = requireBinary('promtool');
const vmalert = requireBinary('vmalert');
const scaleOut = join(INFRA_DIR, 'scale-out');
const flagsOf = (service: { command: string[] }) =>
  Object.fromEntries(service.command.map((flag) => flag.replace(/^-/, '').split('=') as [string, string]));

describe('infra/scale-out', () => {
  it.skipIf(promtool === undefined)(
    'the VictoriaMetrics cluster remote_write block loads in place of the shipped one',
    () => {
      const directory = mkdtempSync(join(tmpdir(), 'jts-scale-out-'));
      try {
        const config = parse(readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8'));
        const block = parse(
          readFileSync(join(scaleOut, 'victoria-metrics-cluster', 'prometheus-remote-write.yml'), 'utf8'),
        );
        config.remote_write = block.remote_write;
        delete config.rule_files;
        writeFileSync(join(directory, 'prometheus.yml'), stringify(config));
        const result = runTool(promtool!, ['check', 'config', join(directory, 'prometheus.yml')]);
        expect(result.status, result.output).toBe(0);
        expect(block.remote_write[0].url).toBe('http://vminsert:8480/insert/0/prometheus/api/v1/write');
        expect(block.remote_write[0].write_relabel_configs).toContainEqual({ action: 'labeldrop', regex: 'replica' });
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(vmalert === undefined)(
    'vmalert accepts the alert rule files, so they can run against the long-term store',
    () => {
      const result = runTool(vmalert!, ['-dryRun', '-rule=rules/*-alerts.yml', '-loggerLevel=ERROR'], PROMETHEUS_DIR);
      expect(result.status, result.output).toBe(0);
      const broken = runTool(vmalert!, ['-dryRun', '-rule=tests/*.test.yml', '-loggerLevel=ERROR'], PROMETHEUS_DIR);
      expect(broken.status, 'a file that is not a rule file is refused').not.toBe(0);
    },
  );

  it('the VictoriaMetrics cluster writes to and reads from every storage node, deduplicating alike', () => {
    const compose = parse(readFileSync(join(scaleOut, 'victoria-metrics-cluster', 'compose.yml'), 'utf8')) as {
      services: Record<string, { image: string; command: string[] }>;
    };
    const storage = Object.keys(compose.services).filter((name) => name.startsWith('vmstorage'));
    expect(storage.length).toBeGreaterThanOrEqual(2);
    expect(flagsOf(compose.services.vminsert!).storageNode).toBe(storage.map((name) => `${name}:8400`).join(','));
    expect(Number(flagsOf(compose.services.vminsert!).replicationFactor)).toBe(storage.length);
    expect(flagsOf(compose.services.vmselect!).storageNode).toBe(storage.map((name) => `${name}:8401`).join(','));
    for (const name of [...storage, 'vmselect'])
      expect(flagsOf(compose.services[name]!)['dedup.minScrapeInterval'], name).toBe('1s');
    expect(new Set(Object.values(compose.services).map((service) => service.image.split(':')[1]))).toEqual(
      new Set(['v1.102.1-cluster']),
    );
  });

  it('the collector gateway pipeline names only defined components, memory_limiter first, with a persistent queue', () => {
    const gateway = parse(readFileSync(join(scaleOut, 'otel-collector', 'gateway.yaml'), 'utf8'));
    const pipeline = gateway.service.pipelines.traces;
    for (const receiver of pipeline.receivers) expect(gateway.receivers).toHaveProperty([receiver]);
    for (const processor of pipeline.processors) expect(gateway.processors).toHaveProperty([processor]);
    for (const exporter of pipeline.exporters) expect(gateway.exporters).toHaveProperty([exporter]);
    for (const extension of gateway.service.extensions) expect(gateway.extensions).toHaveProperty([extension]);
    expect(pipeline.processors[0]).toBe('memory_limiter');
    expect(pipeline.processors.at(-1)).toBe('batch');
    expect(gateway.service.extensions).toContain(gateway.exporters['otlp/jaeger'].sending_queue.storage);
    expect(gateway.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
  });
});
