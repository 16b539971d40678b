// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is Compose, Grafana or Logstash syntax, not a template literal
import { existsSync, readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bindMounts, readCompose, readComposeText, resolveVariables } from './support/compose-file.js';
import { INFRA_DIRECTORY, readEnvFile, readInfraFile, variableReferences } from './support/infra-files.js';
import { documentedPrometheusFlags } from './support/prometheus-flags.js';

const compose = readCompose();
const text = readComposeText();
const references = variableReferences(text);
const versions = readEnvFile('versions.env');
const settings = readEnvFile('.env.example');
// The secrets are the block of .env.example between "--- Secrets" and the next "---" heading.
const secretNames = (() => {
  const block = readInfraFile('.env.example').split('# --- Secrets')[1]!.split('# ---')[0]!;
  return [...block.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!);
})();
// The files named in the "--- Secret files" block: compose secrets, never their contents.
const secretFileNames = (() => {
  const block = readInfraFile('.env.example').split('# --- Secret files')[1]!.split('# ---')[0]!;
  return [...block.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!);
})();
const services = Object.entries(compose.services);
// dclint ships the current Compose specification schema (draft-07); its exports map does not list
// the file. Its `$schema` spells the draft-07 URI with https, which Ajv does not resolve: Ajv's
// default meta-schema is draft-07 already, so the key is dropped.
const { $schema: _draft, ...composeSchema } = JSON.parse(
  readFileSync(`${INFRA_DIRECTORY}node_modules/dclint/schemas/compose.schema.json`, 'utf8'),
);
const longRunning = services.filter(([name]) => name !== 'elasticsearch-setup');

describe('docker-compose.monitoring.yml against the Compose specification', () => {
  it('validates against the current Compose JSON schema (dclint schemas/compose.schema.json)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(composeSchema);
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check itself rejects a broken file', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(composeSchema);
    expect(
      validate({
        services: { x: { image: 'a:1', restart: 'unless-stopped', healthcheck: { interval: 5 }, bogus: true } },
      }),
    ).toBe(false);
  });
});

describe('semantic checks of the compose file', () => {
  it('every bind-mounted file or directory in infra/ exists', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const [name, service] of services) {
      for (const { source } of bindMounts(service)) {
        if (!source.startsWith('./')) continue; // host paths (`/`, ${JTS_AUDIT_DIR}) belong to the host
        checked++;
        if (!existsSync(`${INFRA_DIRECTORY}${source.slice(2)}`)) missing.push(`${name}: ${source}`);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
    expect(missing).toEqual([]);
  });

  it('every file a command names inside a mounted directory exists (prometheus.yml, alertmanager.yml, the Jaeger config)', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const [name, service] of services) {
      const commands = Array.isArray(service.command) ? service.command : [];
      for (const path of commands.flatMap(
        (argument) => /^(?:--[\w.-]+=)?(\/etc\/[^\s]+\.(?:yml|yaml|mjs))$/.exec(argument)?.[1] ?? [],
      )) {
        const mount = bindMounts(service).find((item) => path === item.target || path.startsWith(`${item.target}/`));
        expect(mount, `${name}: ${path} is not under a bind mount`).toBeDefined();
        checked++;
        if (!existsSync(`${INFRA_DIRECTORY}${mount!.source.slice(2)}${path.slice(mount!.target.length)}`))
          missing.push(`${name}: ${path}`);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3);
    expect(missing).toEqual([]);
  });

  it('every ${VAR} is defined in versions.env or .env.example, and every defined variable is used', () => {
    const used = new Set(references.map((reference) => reference.name));
    const undefinedNames = [...used].filter((name) => !versions.has(name) && !settings.has(name));
    expect(undefinedNames).toEqual([]);
    const unused = [...versions.keys(), ...settings.keys()].filter((name) => !used.has(name));
    expect(unused).toEqual([]);
    expect([...versions.keys()].filter((name) => settings.has(name))).toEqual([]);
  });

  it('every image is pinned to a release through versions.env; Elastic images share ELASTIC_VERSION', () => {
    for (const [name, service] of services) {
      const match = /^([a-z0-9./_-]+):\$\{([A-Z_]+):\?[^}]+\}$/.exec(service.image);
      expect(match, `${name}: ${service.image}`).not.toBeNull();
      const version = versions.get(match![2]!);
      expect(version, `${name}: ${match![2]} is not in versions.env`).toBeDefined();
      expect(version, `${name}: ${version}`).toMatch(/^v?\d+\.\d+\.\d+(-[a-z0-9.]+)?$/);
    }
    const elastic = services.filter(([, service]) => service.image.startsWith('docker.elastic.co/'));
    expect(elastic.map(([name]) => name).sort()).toEqual(['elasticsearch', 'kibana', 'logstash']);
    for (const [, service] of elastic) expect(service.image).toContain('${ELASTIC_VERSION:?');
    expect(versions.get('ELASTIC_VERSION')).toMatch(/^9\./);
    expect(versions.get('PROMETHEUS_VERSION')).toMatch(/^v3\./);
    expect(versions.get('GRAFANA_VERSION')).toMatch(/^13\./);
    expect(versions.get('JAEGER_VERSION')).toMatch(/^2\./);
    expect(versions.get('ALERTMANAGER_VERSION')).toMatch(/^v0\.3\d\./);
    expect(versions.get('NODE_EXPORTER_VERSION')).toMatch(/^v1\./);
  });

  it('no literal secret: every secret comes from .env and compose refuses to start without it', () => {
    expect(secretNames.length).toBeGreaterThanOrEqual(10);
    for (const name of secretNames) {
      expect(settings.get(name), `${name} must be empty in .env.example`).toBe('');
      const uses = references.filter((reference) => reference.name === name);
      expect(uses.length, `${name} is never used`).toBeGreaterThan(0);
      for (const use of uses) expect(use.operator, `${name} must be required (\${${name}:?...})`).toBe(':?');
    }
    const secretKey = /PASSWORD|SECRET|ENCRYPTIONKEY|_KEY$|TOKEN/;
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!secretKey.test(key)) continue;
        expect(String(value), `${name}.${key} holds a literal`).toMatch(/^\$\{[A-Z_]+(:\?[^}]+|:-)\}$/);
      }
    }
    expect(text).not.toMatch(/changeme|password123|admin:admin|elastic:elastic/i);
  });

  it('security on, basic licence, sign-up off, viewer by default, and nothing but the setup runs as elastic', () => {
    const elasticsearch = compose.services.elasticsearch!.environment!;
    expect(elasticsearch['xpack.security.enabled']).toBe('true');
    expect(elasticsearch['xpack.license.self_generated.type']).toBe('basic');
    expect(text).not.toMatch(/self_generated\.type:\s*trial/);
    const grafana = compose.services.grafana!.environment!;
    expect(grafana.GF_USERS_ALLOW_SIGN_UP).toBe('false');
    expect(grafana.GF_USERS_AUTO_ASSIGN_ORG_ROLE).toBe('Viewer');
    expect(grafana.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
    expect(grafana.GF_AUTH_GENERIC_OAUTH_ENABLED).toBe('${GRAFANA_OAUTH_ENABLED:-false}');
    const usingElastic = services
      .filter(([, service]) => 'ELASTIC_PASSWORD' in (service.environment ?? {}))
      .map(([name]) => name);
    expect(usingElastic.sort()).toEqual(['elasticsearch', 'elasticsearch-setup']);
    expect(compose.services.kibana!.environment!.ELASTICSEARCH_USERNAME).toBe('kibana_system');
  });

  it('health checks, restart policies, resource limits, named volumes and one network', () => {
    expect(Object.keys(compose.networks)).toEqual(['monitoring']);
    for (const [name, service] of longRunning) {
      expect(service.healthcheck?.test, `${name} has no health check`).toBeDefined();
      expect(service.restart, name).toBe('unless-stopped');
    }
    expect(compose.services['elasticsearch-setup']!.restart).toBe('no');
    for (const [name, service] of services) {
      expect(service.networks, name).toEqual(['monitoring']);
      expect(service.deploy?.resources?.limits?.memory, `${name} has no memory limit`).toMatch(/^\d+[mg]$/);
      expect(service.deploy?.resources?.limits?.cpus, `${name} has no CPU limit`).toMatch(/^[\d.]+$/);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (/^[a-z]/.test(source)) expect(compose.volumes, `${name}: volume ${source}`).toHaveProperty(source);
      }
    }
    for (const stateful of [
      'elasticsearch',
      'prometheus',
      'victoria-metrics',
      'alertmanager',
      'grafana',
      'logstash',
      'kibana',
    ]) {
      expect(
        compose.services[stateful]!.volumes!.some((volume) => /^[a-z-]+:\//.test(volume)),
        stateful,
      ).toBe(true);
    }
  });

  it('services that log in to Elasticsearch wait for the setup to finish; ports bind to JTS_BIND_ADDRESS', () => {
    for (const name of ['kibana', 'logstash', 'jaeger', 'grafana']) {
      expect(compose.services[name]!.depends_on?.['elasticsearch-setup']?.condition, name).toBe(
        'service_completed_successfully',
      );
    }
    expect(compose.services['elasticsearch-setup']!.depends_on?.elasticsearch?.condition).toBe('service_healthy');
    for (const [name, service] of services) {
      for (const port of service.ports ?? [])
        expect(port, name).toMatch(/^\$\{JTS_BIND_ADDRESS:-127\.0\.0\.1\}:\d+:\d+$/);
    }
  });

  it('Prometheus and Alertmanager start on the shared configuration files', () => {
    const prometheus = compose.services.prometheus!;
    expect(prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(prometheus.volumes).toContain('./prometheus:/etc/prometheus:ro');
    const alertmanager = compose.services.alertmanager!;
    expect(alertmanager.command).toContain('--config.file=/etc/alertmanager/alertmanager.yml');
    expect(alertmanager.volumes).toContain('./alertmanager:/etc/alertmanager:ro');
  });
});

describe('the compose file runs Prometheus and Alertmanager the way the alerting configuration needs', () => {
  const prometheus = compose.services.prometheus!;
  const prometheusYml = parse(readInfraFile('prometheus/prometheus.yml'));

  it('passes exactly the flags infra/prometheus/README.md lists (retention 30 d / 10 GB, exemplars, replica label, admin API), with the .env.example settings', () => {
    const command = (prometheus.command as string[]).map((flag) => resolveVariables(flag, settings));
    expect(command.sort()).toEqual(
      [
        '--config.file=/etc/prometheus/prometheus.yml',
        '--storage.tsdb.path=/prometheus',
        ...documentedPrometheusFlags(),
      ].sort(),
    );
    // The settings' defaults in the compose file are the documented values too (an .env without them).
    const withoutSettings = (prometheus.command as string[]).map((flag) => resolveVariables(flag, new Map()));
    expect(withoutSettings.sort()).toEqual(command);
  });

  it('serves the web endpoints with TLS and basic auth exactly when the README turns web.yml on, and Grafana can then log in', () => {
    const readme = readInfraFile('prometheus/README.md');
    const documentedOn = documentedPrometheusFlags().some((flag) => flag.startsWith('--web.config.file='));
    expect(readme).toContain('## Basic auth and TLS');
    const passed = (prometheus.command as string[]).some((flag) => flag.startsWith('--web.config.file='));
    expect(passed).toBe(documentedOn);
    const grafanaSource = parse(readInfraFile('grafana/provisioning/datasources/datasources.yml')).datasources.find(
      (source: { uid: string }) => source.uid === 'prometheus',
    );
    // Off: Grafana queries without credentials. On, it would need basicAuth and a password from .env.
    expect(grafanaSource.basicAuth === true).toBe(documentedOn);
  });

  it('sets PROMETHEUS_REPLICA, which prometheus.yml expands into the replica external label', () => {
    expect(prometheusYml.global.external_labels.replica).toBe('${PROMETHEUS_REPLICA}');
    expect(resolveVariables(prometheus.environment!.PROMETHEUS_REPLICA!, settings)).toBe('prometheus-0');
    expect(resolveVariables(prometheus.environment!.PROMETHEUS_REPLICA!, new Map())).toBe('prometheus-0');
  });

  it('gives Alertmanager every /run/secrets file alertmanager.yml reads, as compose secrets from files named in .env.example', () => {
    const read = [
      ...new Set(
        [...readInfraFile('alertmanager/alertmanager.yml').matchAll(/\/run\/secrets\/([\w.-]+)/g)].map(
          (match) => match[1]!,
        ),
      ),
    ].sort();
    expect(read).toHaveLength(5);
    expect([...(compose.services.alertmanager!.secrets ?? [])].sort()).toEqual(read);
    expect(Object.keys(compose.secrets ?? {}).sort()).toEqual(read);
    expect(secretFileNames).toHaveLength(read.length);
    for (const [name, secret] of Object.entries(compose.secrets ?? {})) {
      // A file on the host, never an inline value or an environment variable's content.
      expect(Object.keys(secret), name).toEqual(['file']);
      const reference = /^\$\{([A-Z_]+_FILE):\?[^}]+\}$/.exec(secret.file!);
      expect(reference, `${name}: ${secret.file}`).not.toBeNull();
      expect(secretFileNames).toContain(reference![1]);
      expect(settings.get(reference![1]!)).toBe(`./secrets/${name}`);
    }
    expect(readInfraFile('.gitignore').split('\n')).toContain('secrets/');
  });

  it('runs the long-term store remote_write sends to: a pinned VictoriaMetrics with a volume and a health check', () => {
    const target = new URL(prometheusYml.remote_write[0].url);
    const store = compose.services[target.hostname];
    expect(store, `remote_write goes to ${target.hostname}, which is not a compose service`).toBeDefined();
    expect(store!.image).toMatch(/^victoriametrics\/victoria-metrics:\$\{VICTORIA_METRICS_VERSION:\?/);
    expect(target.pathname).toBe('/api/v1/write');
    const flags = (store!.command as string[]).map((flag) => resolveVariables(flag, settings));
    expect(flags).toContain(`-httpListenAddr=:${target.port}`);
    expect(flags).toContain('-storageDataPath=/storage');
    expect(flags.find((flag) => flag.startsWith('-retentionPeriod='))).toBe(
      `-retentionPeriod=${settings.get('VICTORIA_METRICS_RETENTION')}`,
    );
    expect(store!.volumes).toContain('victoria-metrics-data:/storage');
    expect(store!.healthcheck!.test.join(' ')).toContain(`localhost:${target.port}/health`);
    // Grafana reads it as a second Prometheus data source for ranges beyond Prometheus' retention.
    const sources = parse(readInfraFile('grafana/provisioning/datasources/datasources.yml')).datasources as {
      type: string;
      url: string;
    }[];
    expect(sources.filter((source) => source.type === 'prometheus').map((source) => source.url)).toContain(
      `http://${target.hostname}:${target.port}`,
    );
  });

  it('every scrape target and Alertmanager of prometheus.yml is a compose service, or one of the example services users run beside the stack', () => {
    const examples = ['order-service', 'strategy-engine', 'market-data', 'exchange-simulator'];
    const hosts = [
      ...prometheusYml.scrape_configs.flatMap((job: { static_configs: { targets: string[] }[] }) =>
        job.static_configs.flatMap((group) => group.targets),
      ),
      ...prometheusYml.alerting.alertmanagers.flatMap((group: { static_configs: { targets: string[] }[] }) =>
        group.static_configs.flatMap((item) => item.targets),
      ),
    ].map((target: string) => target.split(':')[0]!);
    const missing = hosts.filter(
      (host) => host !== 'localhost' && compose.services[host] === undefined && !examples.includes(host),
    );
    expect(missing).toEqual([]);
    expect(hosts).toEqual(expect.arrayContaining(['node-exporter', 'alertmanager', ...examples]));
  });
});
