import { describe, expect, it } from 'vitest';
import { ROLES, USERS } from '../elasticsearch/setup/definitions.mjs';
import { readCompose } from './support/compose-file.js';
import { readInfraFile, readInfraYaml } from './support/infra-files.js';

interface Datasource {
  name: string;
  type: string;
  uid: string;
  url: string;
  basicAuthUser?: string;
  secureJsonData?: Record<string, string>;
  jsonData: Record<string, any>;
}
const { datasources } = readInfraYaml<{ datasources: Datasource[] }>(
  'grafana/provisioning/datasources/datasources.yml',
);
const byUid = new Map(datasources.map((source) => [source.uid, source]));
const grafana = readCompose().services.grafana!;
const matches = (pattern: string, name: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(name);

describe('Grafana data source provisioning', () => {
  it('Prometheus links exemplars to Jaeger by trace_id (the label @jts/metrics writes)', () => {
    const prometheus = byUid.get('prometheus')!;
    expect(prometheus.type).toBe('prometheus');
    expect(prometheus.url).toBe('http://prometheus:9090');
    expect(prometheus.jsonData.exemplarTraceIdDestinations).toEqual([{ name: 'trace_id', datasourceUid: 'jaeger' }]);
    expect(byUid.get('jaeger')?.type).toBe('jaeger');
  });

  it('Jaeger links a trace to its log lines by the trace.id field of @jts/log', () => {
    const jaeger = byUid.get('jaeger')!;
    expect(jaeger.url).toBe('http://jaeger:16686');
    const traceToLogs = jaeger.jsonData.tracesToLogsV2;
    expect(byUid.get(traceToLogs.datasourceUid)?.type).toBe('elasticsearch');
    expect(traceToLogs).toMatchObject({ customQuery: true, query: 'trace.id:"$${__trace.traceId}"' });
  });

  it('Elasticsearch data sources read the log data streams as the read-only Grafana user', () => {
    const elastic = datasources.filter((source) => source.type === 'elasticsearch');
    expect(elastic.map((source) => source.jsonData.index).sort()).toEqual(['jts-errors', 'logs-jts.*']);
    const user = USERS[elastic[0]!.basicAuthUser!]!;
    expect(user.roles).toEqual(['jts_log_reader']);
    const readable = ROLES.jts_log_reader!.indices.flatMap((entry) => entry.names);
    for (const source of elastic) {
      expect(source.basicAuthUser).toBe('jts_grafana_reader');
      expect(source.jsonData.timeField).toBe('@timestamp');
      expect(source.jsonData.logLevelField).toBe('log.level');
      expect(
        readable.some((pattern) => matches(pattern, source.jsonData.index.replace('*', 'order_service-default'))),
        source.name,
      ).toBe(true);
      // The password comes from Grafana's environment, which the compose file fills from .env.
      expect(source.secureJsonData?.basicAuthPassword).toBe(`$${user.passwordEnv}`);
      expect(grafana.environment?.[user.passwordEnv]).toBe(
        `\${${user.passwordEnv}:?${user.passwordEnv} is empty, see .env.example}`,
      );
      expect(source.jsonData.dataLinks).toEqual([
        { field: 'trace.id', datasourceUid: 'jaeger', url: '$${__value.raw}' },
      ]);
    }
  });

  it('no literal secret and no environment expansion of Grafana macros', () => {
    const text = readInfraFile('grafana/provisioning/datasources/datasources.yml');
    // Grafana expands $NAME and ${NAME} from its environment here: its own ${__...} macros are escaped as $${__...}.
    for (const match of text.matchAll(/(\$+)\{__/g)) expect(match[1]).toBe('$$');
    for (const source of datasources)
      for (const value of Object.values(source.secureJsonData ?? {})) expect(value).toMatch(/^\$[A-Z_]+$/);
  });
});
