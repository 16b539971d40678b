import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AUDIT_STREAMS,
  LOG_STREAMS,
  ROLES,
  SNAPSHOT_POLICY,
  SNAPSHOT_REPOSITORY,
  USERS,
} from '../elasticsearch/setup/definitions.mjs';
import { runSetup } from '../elasticsearch/setup/setup.mjs';
import { dataStreamName } from '../../packages/log-elasticsearch/src/data-stream.js';
import {
  type ElasticsearchAdminStandIn,
  startElasticsearchAdminStandIn,
} from './support/elasticsearch-admin-stand-in.js';
import { INFRA_DIRECTORY } from './support/infra-files.js';

const ELASTIC_PASSWORD = 'elastic-test-password-1';
const env = Object.fromEntries(
  Object.values(USERS).map((user, index) => [user.passwordEnv, `password-of-user-${index}`]),
);
const manifest = JSON.parse(readFileSync(`${INFRA_DIRECTORY}elasticsearch/manifest.json`, 'utf8')) as {
  apply_in_order: { request: string; file: string }[];
};
// Elasticsearch index-pattern matching: `*` is any run of characters.
const matches = (pattern: string, name: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(name);
const covered = (patterns: readonly string[], name: string) => patterns.some((pattern) => matches(pattern, name));

let standIn: ElasticsearchAdminStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

describe('elasticsearch-setup against a loopback stand-in of the admin APIs', () => {
  it('waits for the cluster, then creates roles, users, ILM policies, templates, snapshot repository and SLM policy in order', async () => {
    standIn = await startElasticsearchAdminStandIn({ elasticPassword: ELASTIC_PASSWORD, unavailableHealthChecks: 2 });
    const lines: string[] = [];
    const done = await runSetup({
      url: standIn.url,
      elasticPassword: ELASTIC_PASSWORD,
      env,
      retryDelayMs: 50,
      log: (line) => lines.push(line),
    });
    expect(standIn.requests.filter((request) => request.path.startsWith('_cluster/health'))).toHaveLength(3);
    expect(lines.filter((line) => line.startsWith('waiting for Elasticsearch'))).toHaveLength(2);
    const writes = done.filter((request) => !request.startsWith('GET'));
    expect(writes).toEqual([
      ...Object.keys(ROLES).map((name) => `PUT /_security/role/${name}`),
      ...Object.entries(USERS).map(([name, user]) =>
        user.builtIn ? `POST /_security/user/${name}/_password` : `PUT /_security/user/${name}`,
      ),
      ...manifest.apply_in_order.map((step) => step.request.replace(' ', ' /')),
      `PUT /_snapshot/${SNAPSHOT_REPOSITORY.name}`,
      `PUT /_slm/policy/${SNAPSHOT_POLICY.name}`,
    ]);
    for (const step of manifest.apply_in_order) {
      const path = step.request.split(' ')[1]!;
      expect(standIn.state.get(path), path).toEqual(
        JSON.parse(readFileSync(`${INFRA_DIRECTORY}elasticsearch/${step.file}`, 'utf8')),
      );
    }
    for (const [name, user] of Object.entries(USERS)) {
      const path = user.builtIn ? `_security/user/${name}/_password` : `_security/user/${name}`;
      expect((standIn.state.get(path) as { password: string }).password).toBe(env[user.passwordEnv]);
    }
  });

  it('runs again over an existing setup with the same result (idempotent desired state)', async () => {
    standIn = await startElasticsearchAdminStandIn({ elasticPassword: ELASTIC_PASSWORD });
    const first = await runSetup({ url: standIn.url, elasticPassword: ELASTIC_PASSWORD, env, log: () => {} });
    const state = new Map(standIn.state);
    const second = await runSetup({ url: standIn.url, elasticPassword: ELASTIC_PASSWORD, env, log: () => {} });
    expect(second).toEqual(first);
    expect(standIn.state).toEqual(state);
  });

  it('refuses to start without a password, and fails on the first refused request', async () => {
    standIn = await startElasticsearchAdminStandIn({
      elasticPassword: ELASTIC_PASSWORD,
      failPath: { path: '_ilm/policy/jts-audit', status: 400 },
    });
    const { JAEGER_ES_PASSWORD: _dropped, ...withoutJaeger } = env;
    await expect(
      runSetup({ url: standIn.url, elasticPassword: ELASTIC_PASSWORD, env: withoutJaeger, log: () => {} }),
    ).rejects.toThrow(/JAEGER_ES_PASSWORD/);
    expect(standIn.requests).toHaveLength(0);
    await expect(runSetup({ url: standIn.url, elasticPassword: ELASTIC_PASSWORD, env, log: () => {} })).rejects.toThrow(
      /PUT \/_ilm\/policy\/jts-audit answered 400/,
    );
    expect(standIn.state.has('_index_template/jts-audit')).toBe(false);
  });
});

describe('least privilege of the roles and users', () => {
  const writers = ['jts_log_shipper', 'jts_logstash_writer'];

  it('writers may only create documents, in the JTS data streams the SDK and Logstash write', () => {
    for (const name of writers) {
      for (const entry of ROLES[name]!.indices) {
        expect([...entry.privileges].sort(), name).toEqual(['auto_configure', 'create_doc']);
        for (const pattern of entry.names) expect(pattern, name).toMatch(/^(logs-jts\.|jts-errors|jts-audit-)/);
      }
      expect(
        ROLES[name]!.cluster.every((privilege) => privilege === 'monitor'),
        name,
      ).toBe(true);
    }
    const shipper = ROLES.jts_log_shipper!.indices.flatMap((entry) => entry.names);
    expect(covered(shipper, dataStreamName('Order-Service', 'production'))).toBe(true);
    expect(covered(shipper, 'jts-errors')).toBe(true);
    expect(covered(shipper, 'jts-audit-default')).toBe(false);
    expect(covered(shipper, 'logs-nginx.access-default')).toBe(false);
    expect(covered(shipper, '.security-7')).toBe(false);
    const logstash = ROLES.jts_logstash_writer!.indices.flatMap((entry) => entry.names);
    expect(covered(logstash, 'jts-audit-default')).toBe(true);
  });

  it('every index template the setup installs is writable by a writer role and readable by the reader role', () => {
    const reader = ROLES.jts_log_reader!.indices.flatMap((entry) => entry.names);
    const writable = writers.flatMap((name) => ROLES[name]!.indices.flatMap((entry) => entry.names));
    for (const step of manifest.apply_in_order.filter((item) => item.request.includes('_index_template'))) {
      const template = JSON.parse(readFileSync(`${INFRA_DIRECTORY}elasticsearch/${step.file}`, 'utf8')) as {
        index_patterns: string[];
      };
      for (const pattern of template.index_patterns) {
        const example = pattern.replaceAll('*', 'x');
        expect(covered(writable, example), example).toBe(true);
        expect(covered(reader, example), example).toBe(true);
      }
    }
  });

  it('no role grants all, manage, write, delete or security privileges; readers only read', () => {
    for (const [name, role] of Object.entries(ROLES)) {
      for (const privilege of role.cluster)
        expect(privilege, name).not.toMatch(/^(all|manage|manage_security|manage_ilm|manage_slm|manage_api_key)$/);
      for (const entry of role.indices) {
        for (const privilege of entry.privileges)
          expect(privilege, name).not.toMatch(/^(all|manage|write|delete|delete_index|manage_ilm)$/);
        for (const pattern of entry.names) expect(pattern, name).not.toMatch(/^(\*|\.)/);
      }
    }
    for (const entry of ROLES.jts_log_reader!.indices)
      expect([...entry.privileges].sort()).toEqual(['read', 'view_index_metadata']);
  });

  it('no user is a superuser or elastic, and every user role exists', () => {
    expect(Object.keys(USERS)).not.toContain('elastic');
    for (const [name, user] of Object.entries(USERS)) {
      for (const role of user.roles ?? []) {
        expect(role, name).not.toBe('superuser');
        expect(ROLES, `${name}: ${role}`).toHaveProperty(role);
      }
    }
  });

  it('snapshots cover the log, error and audit data streams, kept at least 30 days', () => {
    expect(SNAPSHOT_POLICY.body.repository).toBe(SNAPSHOT_REPOSITORY.name);
    expect(SNAPSHOT_POLICY.body.config.indices).toEqual([...LOG_STREAMS, ...AUDIT_STREAMS]);
    expect(SNAPSHOT_POLICY.body).toMatchObject({ retention: { expire_after: '30d' } });
  });
});

describe('infra/elasticsearch/README.md', () => {
  it('tells users that the setup service applies the retention files, and its command for other clusters sets every variable the script reads', () => {
    const readme = readFileSync(`${INFRA_DIRECTORY}elasticsearch/README.md`, 'utf8');
    expect(readme).toContain('elasticsearch-setup');
    // No hand-applied PUTs left: the script is the one way the files reach a cluster.
    expect(readme).not.toMatch(/curl\b/);
    const command =
      /```sh\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('For a cluster outside the stack')))?.[1] ?? '';
    expect(command).toContain('node infra/elasticsearch/setup/setup.mjs');
    const variables = [...command.matchAll(/\b([A-Z][A-Z_]+)=/g)].map((match) => match[1]!).sort();
    expect(variables).toEqual(
      ['ELASTICSEARCH_URL', 'ELASTIC_PASSWORD', ...Object.values(USERS).map((user) => user.passwordEnv)].sort(),
    );
  });
});
