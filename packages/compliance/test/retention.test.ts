import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RETENTION_POLICIES, renderIlmPolicy, renderRetentionFiles } from '../src/index.js';

const infra = fileURLToPath(new URL('../../../infra/elasticsearch/', import.meta.url));
const days = (minAge: string) => {
  const match = /^(\d+)(d|h|m|s|ms)$/.exec(minAge);
  if (!match) throw new Error(`unexpected min_age ${minAge}`);
  const value = Number(match[1]);
  return { d: value, h: value / 24, m: value / 1440, s: value / 86400, ms: value / 86_400_000 }[match[2] as 'd'];
};

describe('retention as code', () => {
  it('keeps the committed infra/elasticsearch files identical to what the generator produces (run scripts/generate-retention.ts)', () => {
    const expected = renderRetentionFiles();
    for (const [path, content] of Object.entries(expected))
      expect(readFileSync(join(infra, path), 'utf8'), path).toBe(content);
    const committed = ['ilm', 'index-templates'].flatMap((dir) =>
      readdirSync(join(infra, dir)).map((name) => `${dir}/${name}`),
    );
    expect(committed.sort()).toEqual(
      Object.keys(expected)
        .filter((path) => path !== 'manifest.json')
        .sort(),
    );
  });

  it('renders the classes of the specification: errors 90, trading 365, system 30, audit 2,557 days', () => {
    expect(Object.fromEntries(RETENTION_POLICIES.map((policy) => [policy.name, policy.retentionDays]))).toEqual({
      'error-logs': 90,
      'trading-logs': 365,
      'system-logs': 30,
      audit: 2557,
    });
    for (const policy of RETENTION_POLICIES) {
      const ilm = JSON.parse(readFileSync(join(infra, `ilm/${policy.ilmPolicy}.json`), 'utf8'));
      expect(days(ilm.policy.phases.delete.min_age)).toBe(policy.retentionDays);
      const template = JSON.parse(readFileSync(join(infra, `index-templates/${policy.template}.json`), 'utf8'));
      expect(template.template.settings['index.lifecycle.name']).toBe(policy.ilmPolicy);
      expect(template.data_stream).toEqual({});
      expect(template.priority).toBeGreaterThan(100);
      expect(template.template.mappings.properties['@timestamp']).toBeDefined();
    }
    const patterns = Object.fromEntries(RETENTION_POLICIES.map((policy) => [policy.name, policy.indexPatterns]));
    expect(patterns).toMatchObject({
      'error-logs': ['jts-errors*'],
      'trading-logs': ['logs-jts.*-*'],
      audit: ['jts-audit-*'],
    });
    const system = RETENTION_POLICIES.find((policy) => policy.name === 'system-logs')!;
    const trading = RETENTION_POLICIES.find((policy) => policy.name === 'trading-logs')!;
    expect(system.priority).toBeGreaterThan(trading.priority);
  });

  it('has no delete phase on audit data before 2,557 days, in any committed policy an audit template uses', () => {
    const templates = readdirSync(join(infra, 'index-templates')).map((name) =>
      JSON.parse(readFileSync(join(infra, 'index-templates', name), 'utf8')),
    );
    const auditTemplates = templates.filter((template) =>
      template.index_patterns.some((pattern: string) => pattern.startsWith('jts-audit')),
    );
    expect(auditTemplates).toHaveLength(1);
    for (const template of auditTemplates) {
      const ilm = JSON.parse(
        readFileSync(join(infra, `ilm/${template.template.settings['index.lifecycle.name']}.json`), 'utf8'),
      );
      for (const [name, phase] of Object.entries<{ min_age: string; actions: Record<string, unknown> }>(
        ilm.policy.phases,
      )) {
        if ('delete' in phase.actions || name === 'delete') expect(days(phase.min_age)).toBeGreaterThanOrEqual(2557);
      }
      expect(ilm.policy.phases.delete.actions.delete.delete_searchable_snapshot).toBe(false);
    }
    const audit = RETENTION_POLICIES.find((policy) => policy.name === 'audit')!;
    expect(() => renderIlmPolicy({ ...audit, retentionDays: 365 })).toThrow(/at least 2557 days/);
  });
});
