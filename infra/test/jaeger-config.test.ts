// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is Compose, Grafana or Logstash syntax, not a template literal
import { describe, expect, it } from 'vitest';
import { ROLES } from '../elasticsearch/setup/definitions.mjs';
import { readCompose } from './support/compose-file.js';
import { readInfraFile, readInfraYaml } from './support/infra-files.js';

interface JaegerConfig {
  service: {
    extensions: string[];
    pipelines: { traces: { receivers: string[]; processors: string[]; exporters: string[] } };
  };
  extensions: Record<string, any>;
  receivers: { otlp: { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } } };
  exporters: { jaeger_storage_exporter: { trace_storage: string } };
}
const config = readInfraYaml<JaegerConfig>('jaeger/config.yml');
const jaeger = readCompose().services.jaeger!;

describe('Jaeger v2 configuration', () => {
  it('receives OTLP over gRPC on 4317 and HTTP on 4318 and stores every span', () => {
    expect(config.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(config.service.pipelines.traces).toEqual({
      receivers: ['otlp'],
      processors: ['batch'],
      exporters: ['jaeger_storage_exporter'],
    });
    for (const port of [4317, 4318, 16686])
      expect(jaeger.ports).toContain(`\${JTS_BIND_ADDRESS:-127.0.0.1}:${port}:${port}`);
  });

  it('stores spans in Elasticsearch as jts_jaeger with the password from the environment, and the query UI reads the same storage', () => {
    const storage = config.exporters.jaeger_storage_exporter.trace_storage;
    expect(config.extensions.jaeger_query.storage.traces).toBe(storage);
    expect(config.extensions.jaeger_query.http.endpoint).toBe('0.0.0.0:16686');
    const backend = config.extensions.jaeger_storage.backends[storage].elasticsearch;
    expect(backend.server_urls).toEqual(['http://elasticsearch:9200']);
    expect(backend.auth.basic).toEqual({ username: 'jts_jaeger', password: '${env:JAEGER_ES_PASSWORD}' });
    expect(jaeger.environment?.JAEGER_ES_PASSWORD).toBe(
      '${JAEGER_ES_PASSWORD:?JAEGER_ES_PASSWORD is empty, see .env.example}',
    );
    expect(readInfraFile('jaeger/config.yml')).not.toMatch(/password: (?!\$\{env:)/);
  });

  it('the jts_jaeger role covers the daily indices Jaeger writes, and the templates it installs', () => {
    const role = ROLES.jts_jaeger!;
    const names = role.indices.flatMap((entry) => entry.names);
    for (const index of [
      'jaeger-span-2026-12-04',
      'jaeger-service-2026-12-04',
      'jaeger-dependencies-2026-12-04',
      'jaeger-sampling-2026-12-04',
    ]) {
      expect(
        names.some((pattern) => index.startsWith(pattern.replace('*', ''))),
        index,
      ).toBe(true);
    }
    expect(role.cluster).toContain('manage_index_templates');
    expect(
      config.extensions.jaeger_storage.backends[config.exporters.jaeger_storage_exporter.trace_storage].elasticsearch
        .create_mappings,
    ).toBe(true);
  });

  it('the health check probes the healthcheckv2 extension Jaeger serves', () => {
    expect(config.service.extensions).toContain('healthcheckv2');
    expect(config.extensions.healthcheckv2.http.endpoint).toBe('0.0.0.0:13133');
    expect(jaeger.healthcheck!.test.join(' ')).toContain('http://localhost:13133/status');
  });
});
