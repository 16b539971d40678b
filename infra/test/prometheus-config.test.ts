// The shipped prometheus.yml: promtool accepts it, it scrapes what the source specification asks at
// the rates it asks, and it stays within the keys Prometheus 2.42 and 3.x both accept.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { requireBinary } from '../../test/support/infra-binaries.js';
import { alertRuleFiles, loadAlertRules, ruleFiles } from './support/alert-rules.js';
import { queryPanels, readDashboards } from './support/dashboards.js';
import { INFRA_DIR, PROMETHEUS_DIR } from './support/infra-paths.js';
import { SERVICE_JOBS, sourceOf } from './support/metric-sources.js';
import { documentedPrometheusFlags } from './support/prometheus-flags.js';
import { analysePromql } from './support/promql.js';
import { runTool } from './support/run-tool.js';

const promtool = requireBinary('promtool');
const text = readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8');
const config = parse(text);
const jobs = new Map<string, any>(config.scrape_configs.map((job: { job_name: string }) => [job.job_name, job]));

/** Keys added after 2.42 (a 2.42 server refuses the file) or removed in 3.0 (a 3.x server refuses it). */
const VERSION_SPECIFIC_KEYS = [
  // 2.43 and later, 3.x
  'scrape_protocols',
  'fallback_scrape_protocol',
  'enable_compression',
  'track_timestamps_staleness',
  'keep_dropped_targets',
  'native_histogram_bucket_limit',
  'native_histogram_min_bucket_factor',
  'always_scrape_classic_histograms',
  'convert_classic_histograms_to_nhcb',
  'metric_name_validation_scheme',
  'metric_name_escaping_scheme',
  'scrape_failure_log_file',
  'rule_query_offset',
  'query_offset',
  'runtime',
  'otlp',
  'protobuf_message',
  'round_robin_dns',
  'enable_http2_for_remote_write',
  // removed or renamed in 3.0
  'scrape_classic_histograms',
];

/** The rule files `rule_files` loads: its patterns (a `*` in the file name) resolved beside prometheus.yml. */
function loadedRuleFiles(patterns: readonly string[]): string[] {
  return patterns.flatMap((pattern) => {
    const slash = pattern.lastIndexOf('/');
    const directory = slash < 0 ? '.' : pattern.slice(0, slash);
    const name = new RegExp(
      `^${pattern
        .slice(slash + 1)
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*')}$`,
    );
    return readdirSync(join(PROMETHEUS_DIR, directory))
      .filter((file) => name.test(file))
      .map((file) => `${directory}/${file}`);
  });
}

/** Recording rule names defined in a rule file. */
function recordedIn(file: string): string[] {
  const parsed = parse(readFileSync(join(PROMETHEUS_DIR, file), 'utf8')) as {
    groups: { rules: { record?: string }[] }[];
  };
  return parsed.groups.flatMap((group) => group.rules.flatMap((rule) => (rule.record ? [rule.record] : [])));
}

/** Every metric selector of the dashboards (panels and variables) and of the alert rules, with where it is read. */
function selectorsRead(): { name: string; where: string }[] {
  const read: { name: string; where: string }[] = [];
  for (const [dashboard, json] of readDashboards()) {
    for (const panel of queryPanels(json)) {
      for (const target of panel.targets ?? [])
        for (const selector of analysePromql(target.expr ?? '').selectors)
          read.push({ name: selector.name, where: `${dashboard} / ${panel.title}` });
    }
    for (const variable of json.templating.list) {
      const selector = /^label_values\((.+), \w+\)$/.exec(variable.definition ?? '')?.[1];
      if (selector)
        for (const found of analysePromql(selector).selectors)
          read.push({ name: found.name, where: `${dashboard} / $${variable.name}` });
    }
  }
  for (const rule of loadAlertRules())
    for (const selector of analysePromql(rule.expr).selectors)
      read.push({ name: selector.name, where: `alert ${rule.alert}` });
  return read;
}

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, child]) => [key, ...keysOf(child)]);
  return [];
}

describe('prometheus.yml', () => {
  it.skipIf(promtool === undefined)('passes promtool check config, with every alert rule file found', () => {
    const result = runTool(promtool!, ['check', 'config', 'prometheus.yml'], PROMETHEUS_DIR);
    expect(result.output).toContain('SUCCESS: prometheus.yml is valid prometheus config file syntax');
    for (const file of alertRuleFiles())
      expect(result.output).toMatch(new RegExp(`Checking rules/${file}\\n\\s+SUCCESS: \\d+ rules found`));
    expect(result.status, result.output).toBe(0);
  });

  it('scrapes order execution every 1 s, the strategy engine every 2 s and the rest every 15 s', () => {
    expect(jobs.get('order-service').scrape_interval).toBe('1s');
    expect(jobs.get('strategy-engine').scrape_interval).toBe('2s');
    expect(config.global.scrape_interval).toBe('15s');
    for (const name of ['market-data', 'exchange-simulator', 'node-exporter', 'alertmanager', 'prometheus'])
      expect(jobs.get(name).scrape_interval, name).toBeUndefined();
  });

  it('has a job, on port 9464 of its stack name, for every example service that serves /metrics (@jts/metrics handler)', () => {
    const examples = join(INFRA_DIR, '..', 'examples');
    const serving = readdirSync(examples).filter((name) => {
      const source = join(examples, name, 'src');
      try {
        return readdirSync(source).some((file) =>
          /metricsHandler\(|metricsRoute\(/.test(readFileSync(join(source, file), 'utf8')),
        );
      } catch {
        return false;
      }
    });
    expect(serving).toEqual(['exchange-simulator', 'market-data', 'order-service', 'strategy-engine']);
    for (const name of serving) expect(jobs.get(name)?.static_configs[0].targets, name).toEqual([`${name}:9464`]);
  });

  it('labels every target with its service, as the rules and routes expect', () => {
    for (const [name, job] of jobs) expect(job.static_configs[0].labels.service, name).toMatch(/^[a-z-]+$/);
    expect(jobs.get('order-service').static_configs[0].targets).toEqual(['order-service:9464']);
  });

  it('keeps exemplars, sends alerts to Alertmanager without the replica label, and remote-writes to the long-term store', () => {
    expect(config.storage.exemplars.max_exemplars).toBeGreaterThan(0);
    expect(config.global.external_labels.replica).toMatch(/^\$\{PROMETHEUS_REPLICA\}$/);
    expect(config.alerting.alert_relabel_configs).toEqual([{ action: 'labeldrop', regex: 'replica' }]);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager:9093']);
    expect(config.remote_write[0].url).toBe('http://victoria-metrics:8428/api/v1/write');
  });

  it('documents the flags for 30 d / 10 GB retention, exemplar storage and the admin API', () => {
    expect(documentedPrometheusFlags()).toEqual([
      '--storage.tsdb.retention.time=30d',
      '--storage.tsdb.retention.size=10GB',
      '--enable-feature=exemplar-storage,expand-external-labels',
      '--web.enable-admin-api',
    ]);
  });

  it('rule_files loads every rule file, and every recording rule a dashboard or alert reads is defined in a loaded file', () => {
    const loaded = loadedRuleFiles(config.rule_files);
    expect(loaded.sort()).toEqual(ruleFiles().map((file) => `rules/${file}`));
    const defined = new Set(loaded.flatMap(recordedIn));
    const recorded = selectorsRead().filter((selector) => selector.name.includes(':'));
    expect(recorded.length).toBeGreaterThanOrEqual(4);
    expect(
      recorded
        .filter((selector) => !defined.has(selector.name))
        .map((selector) => `${selector.where}: ${selector.name}`),
    ).toEqual([]);
    // The check can fail: a dashboard reading a rule the loaded files do not define is reported.
    expect(defined.has('job:order_execution_total:rate1h')).toBe(false);
  });

  it('scrapes every job the dashboards and alerts read from: the services, node-exporter, Alertmanager and Prometheus itself', () => {
    const unscraped: string[] = [];
    for (const { name, where } of selectorsRead()) {
      const source = sourceOf(name);
      if (source === undefined) unscraped.push(`${where}: nothing in the stack exposes ${name}`);
      else if (Array.isArray(source) && !source.some((job) => jobs.has(job)))
        unscraped.push(`${where}: ${name} needs one of the jobs ${source.join(', ')}`);
    }
    expect(unscraped).toEqual([]);
    for (const job of [...SERVICE_JOBS, 'node-exporter', 'alertmanager', 'prometheus'])
      expect(jobs.has(job), job).toBe(true);
    expect(sourceOf('node_load1')).toEqual(['node-exporter']);
    expect(sourceOf('order_latency_bucket')).toBeUndefined();
  });

  it('uses no key that only Prometheus 2.42 or only 3.x accepts, and no v1 Alertmanager API', () => {
    expect(keysOf(config).filter((key) => VERSION_SPECIFIC_KEYS.includes(key))).toEqual([]);
    expect(text).not.toMatch(/api_version:\s*v1/);
  });

  it('rules avoid what 3.x changed: holt_winters, and le or quantile label values matched as text', () => {
    for (const file of alertRuleFiles()) {
      const rules = readFileSync(join(PROMETHEUS_DIR, 'rules', file), 'utf8');
      expect(rules, file).not.toContain('holt_winters');
      expect(rules, file).not.toMatch(/\b(le|quantile)\s*=~?\s*"/);
    }
  });
});
