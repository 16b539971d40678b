// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is Compose, Grafana or Logstash syntax, not a template literal
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditTrail, verifyAuditTrail } from '@jts/compliance';
import { afterAll, describe, expect, it } from 'vitest';
import { ROLES } from '../elasticsearch/setup/definitions.mjs';
import { dataStreamName } from '../../packages/log-elasticsearch/src/data-stream.js';
import { bindMounts, readCompose } from './support/compose-file.js';
import { readInfraFile, readInfraYaml } from './support/infra-files.js';
import { parseLogstashPipeline, pluginsOf, setting } from './support/logstash-config.js';
import { EMULATED_FILTERS, emulatePipeline, referencedFields } from './support/logstash-emulation.js';
import { substituteEnvironment } from './support/logstash-event.js';
import { logstashEnvironment, readPipeline } from './support/logstash-files.js';

const sources = readPipeline('sources');
const audit = readPipeline('audit');
const logstash = readCompose().services.logstash!;
const covered = (patterns: readonly string[], name: string) =>
  patterns.some((pattern) =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    ).test(name),
  );
const writerPatterns = ROLES.jts_logstash_writer!.indices.flatMap((entry) => entry.names);
const esOutputs = (pipeline: typeof sources) =>
  pluginsOf(pipeline.output).filter((plugin) => plugin.name === 'elasticsearch');
const route = (pipeline: typeof sources, line: Record<string, unknown>) => {
  const result = emulatePipeline(pipeline, line);
  const index = (name: string) => result.outputs.filter((output) => output.plugin.name === name);
  return { ...result, indices: index('elasticsearch').map((output) => output.render('index')), alerts: index('http') };
};

describe('Logstash configuration: structure', () => {
  it('both pipelines parse; pipelines.yml names the mounted files; ECS v8 field names', () => {
    const pipelines = readInfraYaml<Array<{ 'pipeline.id': string; 'path.config': string }>>(
      'logstash/config/pipelines.yml',
    );
    expect(pipelines.map((pipeline) => pipeline['pipeline.id'])).toEqual(['sources', 'audit']);
    const mounts = bindMounts(logstash);
    for (const pipeline of pipelines) {
      const mount = mounts.find((item) => pipeline['path.config'].startsWith(`${item.target}/`))!;
      expect(mount, pipeline['path.config']).toBeDefined();
      const host = `${mount.source.slice(2)}${pipeline['path.config'].slice(mount.target.length)}`;
      expect(() => parseLogstashPipeline(readInfraFile(host))).not.toThrow();
    }
    expect(readInfraYaml<Record<string, unknown>>('logstash/config/logstash.yml')['pipeline.ecs_compatibility']).toBe(
      'v8',
    );
  });

  it('the parser rejects what Logstash rejects', () => {
    expect(() => parseLogstashPipeline('filter { mutate { add_field => { "a" "b" } } }')).toThrow(/expected =>/);
    expect(() => parseLogstashPipeline('filter { if { mutate {} } }')).toThrow(/empty condition/);
    expect(() => parseLogstashPipeline('filters { }')).toThrow(/expected input, filter or output/);
  });

  it('inputs: beats on 5044, JSON lines over TCP on 5000, the audit files from the mounted trail directory', () => {
    const inputs = pluginsOf(sources.input);
    expect(inputs.map((plugin) => [plugin.name, setting(plugin, 'port')])).toEqual([
      ['beats', 5044],
      ['tcp', 5000],
    ]);
    expect(setting(inputs[1]!, 'codec')).toBe('json_lines');
    expect(logstash.ports).toEqual([
      '${JTS_BIND_ADDRESS:-127.0.0.1}:5044:5044',
      '${JTS_BIND_ADDRESS:-127.0.0.1}:5000:5000',
    ]);
    const file = pluginsOf(audit.input)[0]!;
    expect(file.name).toBe('file');
    expect(setting(file, 'path')).toBe('/var/lib/jts/audit/*.jsonl');
    expect(logstash.volumes).toContain('${JTS_AUDIT_DIR:-/var/lib/jts/audit}:/var/lib/jts/audit:ro');
  });

  it('only plugins of the default distribution, filters the emulation implements, valid field references', () => {
    const bundled = {
      input: ['beats', 'tcp', 'file'],
      filter: [...EMULATED_FILTERS],
      output: ['elasticsearch', 'http', 'stdout'],
    };
    for (const pipeline of [sources, audit]) {
      for (const section of ['input', 'filter', 'output'] as const) {
        for (const plugin of pluginsOf(pipeline[section]))
          expect(bundled[section] as readonly string[], `${section} ${plugin.name}`).toContain(plugin.name);
      }
      expect(referencedFields(pipeline).length).toBeGreaterThan(0);
    }
  });

  it('every ${VAR} of the pipelines is set by the compose file or has a default', () => {
    for (const name of ['sources', 'audit']) {
      expect(
        () => substituteEnvironment(readInfraFile(`logstash/pipeline/${name}.conf`), logstashEnvironment()),
        name,
      ).not.toThrow();
      expect(() => substituteEnvironment(readInfraFile(`logstash/pipeline/${name}.conf`), {}), name).toThrow(
        /ELASTICSEARCH_URL|LOGSTASH_WRITER_PASSWORD/,
      );
    }
  });

  it('Elasticsearch outputs write as jts_logstash_writer, create only, into indices its role covers, templates left to the setup', () => {
    for (const output of [...esOutputs(sources), ...esOutputs(audit)]) {
      expect(setting(output, 'user')).toBe('jts_logstash_writer');
      expect(setting(output, 'password')).toBe('test-logstash_writer_password');
      expect(setting(output, 'action')).toBe('create');
      expect(setting(output, 'manage_template')).toBe(false);
      expect(setting(output, 'ilm_enabled')).toBe('false');
      const index = String(setting(output, 'index')).replace(/%\{[^}]+\}/g, 'x');
      expect(covered(writerPatterns, index), index).toBe(true);
    }
  });
});

describe('Logstash sources pipeline, emulated on events of non-Node services', () => {
  it('an ECS logger of another language (dotted keys): schema kept, routed to its data stream and jts-errors, alert raised', () => {
    const { document, indices, alerts } = route(sources, {
      'log.level': 'ERROR',
      'service.name': 'Risk-Engine',
      message: 'order rejected by venue',
      'event.action': 'order.execution',
      'error.type': 'VenueRejected',
      'trace.id': '4bf92f3577b34da6a3ce929d0e0e4736',
      correlation_id: 'corr-7',
      order_id: 'o-9',
      strategy_id: 'mm-1',
      symbol: 'aapl',
      venue: 'XNAS',
      latency_ms: '12.5',
    });
    expect(indices).toEqual(['logs-jts.risk_engine-default', 'jts-errors']);
    expect(indices[0]).toBe(dataStreamName('Risk-Engine', 'default'));
    expect(alerts).toHaveLength(1);
    expect(document).toMatchObject({
      log: { level: 'error' },
      service: { name: 'Risk-Engine' },
      trace: { id: '4bf92f3577b34da6a3ce929d0e0e4736' },
      trading: { order_id: 'o-9', strategy_id: 'mm-1', symbol: 'AAPL', exchange: 'XNAS' },
      jts: { latency_ms: 12.5, latency_class: 'normal' },
      tags: ['trading'],
    });
    expect(document).not.toHaveProperty('@metadata');
    expect(Object.keys(document).filter((key) => key.includes('.'))).toEqual([]);
  });

  it('a plain JSON line over TCP: level and message names mapped, slow latency tagged, no error copy, no alert', () => {
    const { document, indices, alerts } = route(sources, {
      level: 'WARNING',
      msg: 'fill slow',
      service_name: 'fix-gateway',
      order_id: 'o-1',
      latency_ms: 250,
      timestamp: '2026-12-04T10:00:00.123Z',
    });
    expect(indices).toEqual(['logs-jts.fix_gateway-default']);
    expect(alerts).toHaveLength(0);
    expect(document).toMatchObject({
      log: { level: 'warn' },
      message: 'fill slow',
      '@timestamp': '2026-12-04T10:00:00.123Z',
      jts: { latency_class: 'slow' },
      tags: ['trading', 'slow'],
    });
    expect(document).not.toHaveProperty('timestamp');
  });

  it('an error that is not an order execution goes to jts-errors without an alert; a line without a service is kept', () => {
    expect(route(sources, { level: 'fatal', app: 'pricer', message: 'out of memory' })).toMatchObject({
      indices: ['logs-jts.pricer-default', 'jts-errors'],
      alerts: [],
    });
    expect(route(sources, { message: 'hello' })).toMatchObject({
      indices: ['logs-jts.unknown-default'],
      document: { log: { level: 'info' }, service: { name: 'unknown' } },
    });
  });

  it('names data streams exactly as @jts/log does for the same service and namespace', () => {
    for (const [service, namespace] of [
      ['order-service', 'default'],
      ['Strategy.Engine', 'production'],
      ['MD feed 2', 'staging'],
    ] as const) {
      const pipeline = readPipeline('sources', logstashEnvironment({ JTS_NAMESPACE: namespace }));
      expect(route(pipeline, { 'service.name': service, message: 'x' }).indices[0], service).toBe(
        dataStreamName(service, namespace),
      );
    }
  });
});

describe('Logstash audit pipeline, emulated on a real @jts/compliance trail', () => {
  const directory = mkdtempSync(join(tmpdir(), 'jts-audit-forward-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('forwards each record with its hash as document id; the copies verify against the trail and equal its fields', async () => {
    const keys = generateKeyPairSync('ed25519');
    const trail = createAuditTrail({
      directory: join(directory, 'trail'),
      signingKey: keys.privateKey,
      checkpointEvery: 5,
    });
    for (let i = 0; i < 12; i++)
      await trail.recordOrderEvent({
        kind: i % 3 ? 'filled' : 'submitted',
        orderId: `o-${i}`,
        symbol: 'AAPL',
        filledQuantity: 10 * i,
        strategyId: 'mm-1',
      });
    await trail.close();
    const file = readdirSync(join(directory, 'trail')).find((name) => name.endsWith('.jsonl'))!;
    const lines = readFileSync(join(directory, 'trail', file), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines.length).toBeGreaterThan(12);

    const copies = lines.map((line) =>
      route(audit, { event: { original: line }, log: { file: { path: `/var/lib/jts/audit/${file}` } } }),
    );
    for (const [index, copy] of copies.entries()) {
      const record = JSON.parse(lines[index]!) as Record<string, unknown>;
      expect(copy.indices).toEqual(['jts-audit-default']);
      const output = copy.outputs.find((item) => item.plugin.name === 'elasticsearch')!;
      expect(output.render('document_id')).toBe(record.hash);
      for (const [key, value] of Object.entries(record)) expect(copy.document[key], key).toEqual(value);
      expect(copy.document['@timestamp']).toBe(new Date(String(record.ts)).toISOString());
    }
    // What an auditor does with the copy: the originals kept in Elasticsearch, in seq order, verify as a trail.
    const fromElasticsearch = copies.map((copy) => (copy.document.event as { original: string }).original);
    writeFileSync(join(directory, 'copy.jsonl'), `${fromElasticsearch.join('\n')}\n`);
    const verdict = await verifyAuditTrail(join(directory, 'copy.jsonl'), keys.publicKey);
    expect(verdict.ok).toBe(true);
    expect(verdict.records).toBe(lines.length);
    // And a copy whose fields were edited no longer matches its hash.
    const tampered = JSON.parse(fromElasticsearch[3]!) as Record<string, unknown>;
    (tampered.payload as Record<string, unknown>).filled_quantity = 999_999;
    writeFileSync(
      join(directory, 'tampered.jsonl'),
      `${[...fromElasticsearch.slice(0, 3), JSON.stringify(tampered), ...fromElasticsearch.slice(4)].join('\n')}\n`,
    );
    expect((await verifyAuditTrail(join(directory, 'tampered.jsonl'), keys.publicKey)).ok).toBe(false);
  });

  it('a torn last line (a crash while writing) is kept out of the copy', () => {
    const torn = route(audit, { event: { original: '{"hash":"5e1c","actor":"tra' } });
    expect(torn.indices).toEqual([]);
    expect(torn.outputs.map((output) => output.plugin.name)).toEqual(['stdout']);
  });
});
