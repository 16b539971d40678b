// The shipped infra/prometheus directory starts unchanged in Prometheus 2.42 with the documented
// flags, and web.yml.example, once filled in, serves the API over TLS behind basic auth.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import { findBinary, requireBinary } from '../../../test/support/infra-binaries.js';
import { eventually, freePort, type RunningPrometheus, startPrometheus } from '../../../test/support/prometheus.js';
import { PROMETHEUS_DIR } from '../support/infra-paths.js';
import { documentedPrometheusFlags } from '../support/prometheus-flags.js';
import { runTool } from '../support/run-tool.js';

const binaries = { prometheus: requireBinary('prometheus'), promtool: requireBinary('promtool') };
const openssl = findBinary('openssl');
const started: RunningPrometheus[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'jts-web-config-'));

afterAll(async () => {
  for (const prometheus of started) await prometheus.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A GET over HTTPS trusting only `ca`; resolves the status code. */
function httpsGet(url: string, ca: string, credentials?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = credentials ? { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } : {};
    request(url, { ca, headers, servername: 'localhost' }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe.skipIf(binaries.prometheus === undefined)('the shipped Prometheus directory', () => {
  it('starts as shipped, with its rules, scrape jobs, replica label and documented flags', async () => {
    const rules = Object.fromEntries(readdirSync(join(PROMETHEUS_DIR, 'rules')).map((name) => [`rules/${name}`, readFileSync(join(PROMETHEUS_DIR, 'rules', name), 'utf8')]));
    const prometheus = await startPrometheus({
      binary: binaries.prometheus!,
      config: readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8'),
      files: rules,
      features: ['exemplar-storage'],
      args: documentedPrometheusFlags(),
      env: { PROMETHEUS_REPLICA: 'prometheus-0' },
    });
    started.push(prometheus);
    const get = async (path: string) => ((await (await fetch(`${prometheus.url}${path}`)).json()) as { data: any }).data;
    expect((await get('/api/v1/status/config')).yaml).toMatch(/external_labels:\n\s+cluster: jts\n\s+replica: prometheus-0/);
    const groups = (await get('/api/v1/rules')).groups.map((group: { name: string }) => group.name);
    expect(groups).toEqual(expect.arrayContaining(['jts-orders', 'jts-strategies', 'jts-market-data', 'jts-risk', 'jts-api', 'jts-database', 'jts-targets', 'jts-node-runtime', 'jts-hosts', 'jts-log-shipping', 'jts-tracing', 'jts-audit', 'jts-sdk', 'jts-monitoring']));
    const targets = await eventually(async () => {
      const active = (await get('/api/v1/targets')).activeTargets as { labels: { job: string }; scrapeInterval: string }[];
      return active.length === 6 ? active : undefined;
    }, 20_000, 'the six scrape targets');
    expect(Object.fromEntries(targets.map((target) => [target.labels.job, target.scrapeInterval]))).toEqual({
      'order-service': '1s', 'strategy-engine': '2s', 'market-data': '15s', 'node-exporter': '15s', alertmanager: '15s', prometheus: '15s',
    });
    const flags = await get('/api/v1/status/flags');
    expect(flags['storage.tsdb.retention.time']).toBe('30d');
    // Prometheus reads size units as powers of two: 10GB is 10 GiB.
    expect(flags['storage.tsdb.retention.size']).toBe('10GiB');
    expect(flags['web.enable-admin-api']).toBe('true');
    expect(flags['enable-feature']).toContain('exemplar-storage');
    // The compose host names do not resolve here: a graceful stop would wait a minute for
    // remote_write to flush to victoria-metrics:8428.
    await prometheus.process.kill();
  });

  it.skipIf(openssl === undefined || binaries.promtool === undefined)('serves the API over TLS behind basic auth with web.yml.example filled in', async () => {
    execFileSync(openssl!, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(scratch, 'prometheus.key'), '-out', join(scratch, 'prometheus.crt')], { stdio: 'ignore' });
    const password = 'correct horse battery staple';
    const hash = bcrypt.hashSync(password, 10);
    const webConfig = readFileSync(join(PROMETHEUS_DIR, 'web.yml.example'), 'utf8').replaceAll('/etc/prometheus/tls/', `${scratch}/`).replaceAll('REPLACE_WITH_BCRYPT_HASH', hash);
    writeFileSync(join(scratch, 'web.yml'), webConfig);
    const check = runTool(binaries.promtool!, ['check', 'web-config', join(scratch, 'web.yml')]);
    expect(check.output).toContain('SUCCESS');

    const ca = readFileSync(join(scratch, 'prometheus.crt'), 'utf8');
    const port = await freePort();
    const url = `https://127.0.0.1:${port}/api/v1/status/buildinfo`;
    const prometheus = await startPrometheus({
      binary: binaries.prometheus!,
      port,
      targets: [],
      args: [`--web.config.file=${join(scratch, 'web.yml')}`],
      ready: async () => (await httpsGet(url, ca).catch(() => 0)) === 401,
    });
    started.push(prometheus);
    expect(await httpsGet(url, ca)).toBe(401);
    expect(await httpsGet(url, ca, 'grafana:wrong password')).toBe(401);
    expect(await httpsGet(url, ca, `grafana:${password}`)).toBe(200);
    expect(await httpsGet(url, ca, `admin:${password}`)).toBe(200);
    // Plain HTTP gets no data.
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/status/buildinfo`)).status).toBe(400);
  });
});
