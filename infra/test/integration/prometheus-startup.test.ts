// The shipped infra/prometheus directory starts unchanged in Prometheus 2.42 with the documented
// flags, and web.yml.example, once filled in as the README says, serves the API over TLS behind
// basic auth to the README's self-scrape job and Grafana data source settings.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { findBinary, requireBinary } from '../../../test/support/infra-binaries.js';
import { eventually, freePort, type RunningPrometheus, startPrometheus } from '../../../test/support/prometheus.js';
import { PROMETHEUS_DIR } from '../support/infra-paths.js';
import { documentedBasicAuth, documentedPrometheusFlags } from '../support/prometheus-flags.js';
import { runTool } from '../support/run-tool.js';

const binaries = { prometheus: requireBinary('prometheus'), promtool: requireBinary('promtool') };
const openssl = findBinary('openssl');
const started: RunningPrometheus[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'jts-web-config-'));

afterAll(async () => {
  for (const prometheus of started) await prometheus.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A GET over HTTPS trusting only `ca`; resolves the status code and the body. */
function httpsRequest(url: string, ca: string, credentials?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = credentials ? { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } : {};
    request(url, { ca, headers, servername: 'localhost' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** The status code of {@link httpsRequest}. */
async function httpsGet(url: string, ca: string, credentials?: string): Promise<number> {
  return (await httpsRequest(url, ca, credentials)).status;
}

describe.skipIf(binaries.prometheus === undefined)('the shipped Prometheus directory', () => {
  it('starts as shipped, with its rules, scrape jobs, replica label and documented flags', async () => {
    const rules = Object.fromEntries(
      readdirSync(join(PROMETHEUS_DIR, 'rules')).map((name) => [
        `rules/${name}`,
        readFileSync(join(PROMETHEUS_DIR, 'rules', name), 'utf8'),
      ]),
    );
    const prometheus = await startPrometheus({
      binary: binaries.prometheus!,
      config: readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8'),
      files: rules,
      features: ['exemplar-storage'],
      args: documentedPrometheusFlags(),
      env: { PROMETHEUS_REPLICA: 'prometheus-0' },
    });
    started.push(prometheus);
    const get = async (path: string) =>
      ((await (await fetch(`${prometheus.url}${path}`)).json()) as { data: any }).data;
    expect((await get('/api/v1/status/config')).yaml).toMatch(
      /external_labels:\n\s+cluster: jts\n\s+replica: prometheus-0/,
    );
    const groups = (await get('/api/v1/rules')).groups.map((group: { name: string }) => group.name);
    expect(groups).toEqual(
      expect.arrayContaining([
        'jts-orders',
        'jts-strategies',
        'jts-market-data',
        'jts-risk',
        'jts-api',
        'jts-database',
        'jts-targets',
        'jts-node-runtime',
        'jts-hosts',
        'jts-log-shipping',
        'jts-tracing',
        'jts-audit',
        'jts-sdk',
        'jts-monitoring',
      ]),
    );
    const targets = await eventually(
      async () => {
        const active = (await get('/api/v1/targets')).activeTargets as {
          labels: { job: string };
          scrapeInterval: string;
        }[];
        return active.length === 7 ? active : undefined;
      },
      20_000,
      'the seven scrape targets',
    );
    expect(Object.fromEntries(targets.map((target) => [target.labels.job, target.scrapeInterval]))).toEqual({
      'order-service': '1s',
      'strategy-engine': '2s',
      'market-data': '15s',
      'exchange-simulator': '15s',
      'node-exporter': '15s',
      alertmanager: '15s',
      prometheus: '15s',
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

  it.skipIf(openssl === undefined || binaries.promtool === undefined)(
    "serves the API over TLS behind basic auth with web.yml.example filled in, to the README's self-scrape job and Grafana settings",
    async () => {
      execFileSync(
        openssl!,
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost,IP:127.0.0.1',
          '-keyout',
          join(scratch, 'prometheus.key'),
          '-out',
          join(scratch, 'prometheus.crt'),
        ],
        { stdio: 'ignore' },
      );
      const passwords = { admin: 'correct horse battery staple', grafana: 'another horse, another staple' };
      const webConfig = readFileSync(join(PROMETHEUS_DIR, 'web.yml.example'), 'utf8')
        .replaceAll('/etc/prometheus/tls/', `${scratch}/`)
        .replace(
          /^(\s+)(\w+): REPLACE_WITH_BCRYPT_HASH$/gm,
          (_line, indent: string, user: keyof typeof passwords) =>
            `${indent}${user}: ${bcrypt.hashSync(passwords[user], 10)}`,
        );
      writeFileSync(join(scratch, 'web.yml'), webConfig);
      const check = runTool(binaries.promtool!, ['check', 'web-config', join(scratch, 'web.yml')]);
      expect(check.output).toContain('SUCCESS');

      // Step 2 of the README: the self-scrape job with its scheme, CA and password file.
      const { scrapeJob, grafanaDatasource } = documentedBasicAuth();
      writeFileSync(
        join(scratch, 'admin-password'),
        passwords[scrapeJob.basic_auth.username as keyof typeof passwords],
      );
      const port = await freePort();
      const job = {
        ...scrapeJob,
        scrape_interval: '1s',
        scrape_timeout: '900ms',
        tls_config: { ...scrapeJob.tls_config, ca_file: join(scratch, 'prometheus.crt') },
        basic_auth: { ...scrapeJob.basic_auth, password_file: join(scratch, 'admin-password') },
        static_configs: scrapeJob.static_configs.map((group) => ({
          ...group,
          targets: group.targets.map((target) => target.replace(':9090', `:${port}`)),
        })),
      };
      const ca = readFileSync(join(scratch, 'prometheus.crt'), 'utf8');
      const base = `https://127.0.0.1:${port}`;
      const url = `${base}/api/v1/status/buildinfo`;
      const prometheus = await startPrometheus({
        binary: binaries.prometheus!,
        port,
        config: stringify({ global: { scrape_interval: '1s', evaluation_interval: '1s' }, scrape_configs: [job] }),
        args: [`--web.config.file=${join(scratch, 'web.yml')}`],
        ready: async () => (await httpsGet(url, ca).catch(() => 0)) === 401,
      });
      started.push(prometheus);
      expect(await httpsGet(url, ca)).toBe(401);
      expect(await httpsGet(url, ca, 'grafana:wrong password')).toBe(401);
      expect(await httpsGet(url, ca, `admin:${passwords.admin}`)).toBe(200);
      // Step 3: Grafana's user, with the password its environment variable holds.
      expect(grafanaDatasource.basicAuth).toBe(true);
      expect(grafanaDatasource.secureJsonData.basicAuthPassword).toBe('$PROMETHEUS_GRAFANA_PASSWORD');
      expect(new URL(grafanaDatasource.url).protocol).toBe('https:');
      const grafana = `${grafanaDatasource.basicAuthUser}:${passwords[grafanaDatasource.basicAuthUser as keyof typeof passwords]}`;
      expect(await httpsGet(url, ca, grafana)).toBe(200);
      const up = await eventually(
        async () => {
          const answer = await httpsRequest(
            `${base}/api/v1/query?query=${encodeURIComponent(`up{job="${scrapeJob.job_name}"}`)}`,
            ca,
            grafana,
          );
          const result = (JSON.parse(answer.body) as { data: { result: { value: [number, string] }[] } }).data.result;
          return result.length === 1 ? result[0]!.value[1] : undefined;
        },
        20_000,
        'the self-scrape over TLS with basic auth',
      );
      expect(up).toBe('1');
      // Plain HTTP gets no data.
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/status/buildinfo`)).status).toBe(400);
    },
  );
});
