// The shipped alertmanager.yml: amtool accepts it, every routing case of tests/routes.yml reaches
// the receivers it names and every receiver is reached, no secret is written in the file, and the
// notification templates render.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { requireBinary } from '../../test/support/infra-binaries.js';
import { ALERTMANAGER_DIR } from './support/infra-paths.js';
import { runTool } from './support/run-tool.js';

const amtool = requireBinary('amtool');
const config = parse(readFileSync(join(ALERTMANAGER_DIR, 'alertmanager.yml'), 'utf8'));
const { cases } = parse(readFileSync(join(ALERTMANAGER_DIR, 'tests', 'routes.yml'), 'utf8')) as {
  cases: { labels: Record<string, string>; receivers: string[] }[];
};
const templateNames = [
  ...readFileSync(join(ALERTMANAGER_DIR, 'templates', 'jts.tmpl'), 'utf8').matchAll(/\{\{ define "([^"]+)" -?\}\}/g),
].map((match) => match[1]!);

const routeTest = (labels: Record<string, string>, receivers: string[]) =>
  runTool(
    amtool!,
    [
      'config',
      'routes',
      'test',
      '--config.file=alertmanager.yml',
      `--verify.receivers=${receivers.join(',')}`,
      ...Object.entries(labels).map(([name, value]) => `${name}=${value}`),
    ],
    ALERTMANAGER_DIR,
  );

function entries(value: unknown, path = ''): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => entries(item, `${path}[${index}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, child]) => [
      [`${path}.${key}`, child] as [string, unknown],
      ...entries(child, `${path}.${key}`),
    ]);
  return [];
}

describe.skipIf(amtool === undefined)('amtool', () => {
  it('check-config accepts alertmanager.yml with its template', () => {
    const result = runTool(amtool!, ['check-config', 'alertmanager.yml'], ALERTMANAGER_DIR);
    expect(result.output).toContain("Checking 'alertmanager.yml'  SUCCESS");
    expect(result.output).toContain(' - 4 receivers');
    expect(result.output).toContain(' - 1 templates');
    expect(result.status, result.output).toBe(0);
  });

  it.each(cases.map((item) => [Object.values(item.labels).join(' '), item] as const))('routes %s', (_name, item) => {
    const result = routeTest(item.labels, item.receivers);
    expect(result.output.split('\n')[0]).toBe(item.receivers.join(','));
    expect(result.status, result.output).toBe(0);
  });

  it('fails a routing case that names the wrong receivers (the cases can fail)', () => {
    const result = routeTest({ alertname: 'MarketDataFeedStale', severity: 'critical', service: 'market-data' }, [
      'critical',
      'trading',
    ]);
    expect(result.output).toContain('critical,market-data');
    expect(result.status).not.toBe(0);
  });

  // amtool's example alerts have none of our labels; the live delivery test checks real renderings.
  it.each(templateNames)("template %s renders amtool's example alerts", (name) => {
    const result = runTool(
      amtool!,
      ['template', 'render', '--template.glob=templates/*.tmpl', `--template.text={{ template "${name}" . }}`],
      ALERTMANAGER_DIR,
    );
    expect(result.status, result.output).toBe(0);
    if (name === 'jts.email.text')
      expect(result.output).toMatch(/Labels: .*instance=foo\.bar:1234[\s\S]*Alertmanager: https:\/\/example\.com/);
  });

  it('defines the mail and Slack templates the receivers use', () => {
    expect(templateNames).toEqual(
      expect.arrayContaining([
        'jts.email.subject',
        'jts.email.text',
        'jts.email.html',
        'jts.slack.title',
        'jts.slack.title_link',
        'jts.slack.text',
        'jts.slack.color',
      ]),
    );
  });
});

describe('alertmanager.yml', () => {
  it('has routing cases that reach every receiver', () => {
    const reached = new Set(cases.flatMap((item) => item.receivers));
    expect([...reached].sort()).toEqual(config.receivers.map((receiver: { name: string }) => receiver.name).sort());
  });

  it('pages critical alerts by email, Slack and the incident webhook, and keeps routing them to their team', () => {
    const critical = config.receivers.find((receiver: { name: string }) => receiver.name === 'critical');
    expect(Object.keys(critical).sort()).toEqual(['email_configs', 'name', 'slack_configs', 'webhook_configs']);
    expect(config.route.routes[0]).toMatchObject({
      receiver: 'critical',
      matchers: ['severity="critical"'],
      continue: true,
    });
  });

  it('inhibits a warning while the critical of the same alert and service fires', () => {
    expect(config.inhibit_rules[0]).toEqual({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity="warning"'],
      equal: ['alertname', 'service', 'strategy_id'],
    });
  });

  it('reads every secret from a file and writes none in the config', () => {
    const all = entries(config);
    const secretKeys = all.filter(([path]) =>
      /\.(smtp_auth_password|smtp_auth_secret|auth_password|auth_secret|slack_api_url|api_url|credentials|password|token|api_key|routing_key|service_key|bot_token)$/.test(
        path,
      ),
    );
    expect(secretKeys).toEqual([]);
    const files = all.filter(([path]) => /_file$/.test(path));
    expect(files.map(([path]) => path.replace(/\[\d+\]/g, '[]')).sort()).toEqual([
      '.global.slack_api_url_file',
      '.global.smtp_auth_password_file',
      '.receivers[].slack_configs[].api_url_file',
      '.receivers[].slack_configs[].api_url_file',
      '.receivers[].webhook_configs[].http_config.authorization.credentials_file',
    ]);
    for (const [path, value] of files) expect(value, path).toMatch(/^\/run\/secrets\/alertmanager_[a-z_]+$/);
  });
});
