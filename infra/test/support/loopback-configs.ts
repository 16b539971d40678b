import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { alertRuleFiles } from './alert-rules.js';
import { ALERTMANAGER_DIR, PROMETHEUS_DIR } from './infra-paths.js';

// The live tests run the shipped files with only what a loopback machine needs changed: targets,
// addresses, secret file locations, and (in a copy) shorter intervals. Everything else, routes,
// receivers, templates, inhibitions and rule expressions, is what users get.

/** What the live tests change in `infra/prometheus/prometheus.yml`. */
export interface PrometheusLoopback {
  /** Loopback targets per shipped job name; jobs not named here are left out. */
  readonly targets: Readonly<Record<string, readonly string[]>>;
  /** Alertmanagers to send to (`127.0.0.1:port`). */
  readonly alertmanagers: readonly string[];
  /** Where remote_write goes; without it the remote_write block is left out. */
  readonly remoteWriteUrl?: string;
}

/**
 * The shipped Prometheus config pointed at loopback targets, with every scrape and evaluation at
 * 1 s so a test does not wait for 15 s intervals.
 */
export function prometheusConfigForTest(loopback: PrometheusLoopback): string {
  const config = parse(readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8'));
  config.global.scrape_interval = '1s';
  config.global.scrape_timeout = '900ms';
  config.global.evaluation_interval = '1s';
  config.scrape_configs = config.scrape_configs
    .filter((job: { job_name: string }) => loopback.targets[job.job_name] !== undefined)
    .map((job: { job_name: string; static_configs: { labels: Record<string, string> }[] }) => ({
      ...job,
      scrape_interval: '1s',
      scrape_timeout: '900ms',
      static_configs: [{ targets: loopback.targets[job.job_name], labels: job.static_configs[0]!.labels }],
    }));
  config.alerting.alertmanagers[0].static_configs = [{ targets: loopback.alertmanagers }];
  if (loopback.remoteWriteUrl === undefined) delete config.remote_write;
  else config.remote_write[0].url = loopback.remoteWriteUrl;
  return stringify(config);
}

/**
 * Copies of the shipped alert rule files, by relative name (`rules/<file>`), in which the named
 * alerts get a shorter `for:` and every `[Nm]` range of theirs becomes `window`, so a live test
 * sees them fire and resolve in seconds. Other alerts are unchanged.
 */
export function alertRulesForTest(shorten: {
  alerts: readonly string[];
  for: string;
  window: string;
}): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of alertRuleFiles()) {
    const parsed = parse(readFileSync(join(PROMETHEUS_DIR, 'rules', file), 'utf8')) as {
      groups: { rules: { alert?: string; expr: string; for?: string }[] }[];
    };
    for (const group of parsed.groups) {
      for (const rule of group.rules) {
        if (rule.alert === undefined || !shorten.alerts.includes(rule.alert)) continue;
        rule.for = shorten.for;
        rule.expr = rule.expr.replace(/\[\d+m\]/g, `[${shorten.window}]`);
      }
    }
    files[`rules/${file}`] = stringify(parsed);
  }
  return files;
}

/** What the live tests change in `infra/alertmanager/alertmanager.yml`. */
export interface AlertmanagerLoopback {
  /** `127.0.0.1:port` of the SMTP receiver. */
  readonly smtpSmarthost: string;
  /** Base URL that replaces the incident webhook's host (its path is kept). */
  readonly webhookBaseUrl: string;
  /** Content of each `/run/secrets/<name>` file the config names. */
  readonly secrets: Readonly<Record<string, string>>;
  /** group_wait and group_interval of every route (the shipped ones are 10-30 s and 5 min). */
  readonly groupWait: string;
  readonly groupInterval: string;
}

function setTiming(route: Record<string, unknown>, loopback: AlertmanagerLoopback): void {
  if (route.group_wait !== undefined || route.receiver !== undefined) route.group_wait = loopback.groupWait;
  route.group_interval = loopback.groupInterval;
  for (const child of (route.routes as Record<string, unknown>[] | undefined) ?? []) setTiming(child, loopback);
}

/**
 * The shipped Alertmanager config and its files for `startAlertmanager`: SMTP over loopback
 * without STARTTLS, the incident webhook on the test receiver, `/run/secrets/<name>` read from
 * `{{dir}}/secrets/<name>`, the shipped templates, and short group timings.
 */
export function alertmanagerForTest(loopback: AlertmanagerLoopback): { config: string; files: Record<string, string> } {
  const text = readFileSync(join(ALERTMANAGER_DIR, 'alertmanager.yml'), 'utf8');
  const named = [...new Set([...text.matchAll(/\/run\/secrets\/([\w.-]+)/g)].map((match) => match[1]!))];
  const files: Record<string, string> = {};
  for (const name of named) {
    const content = loopback.secrets[name];
    if (content === undefined)
      throw new Error(`alertmanager.yml reads /run/secrets/${name}: give its content in secrets`);
    files[`secrets/${name}`] = content;
  }
  const config = parse(text, (_key, value) =>
    typeof value === 'string' ? value.replace(/^\/run\/secrets\//, '{{dir}}/secrets/') : value,
  );
  config.global.smtp_smarthost = loopback.smtpSmarthost;
  config.global.smtp_require_tls = false;
  setTiming(config.route, loopback);
  for (const receiver of config.receivers) {
    for (const webhook of receiver.webhook_configs ?? [])
      webhook.url = `${loopback.webhookBaseUrl}${new URL(webhook.url).pathname}`;
  }
  for (const name of readdirSync(join(ALERTMANAGER_DIR, 'templates')))
    files[`templates/${name}`] = readFileSync(join(ALERTMANAGER_DIR, 'templates', name), 'utf8');
  return { config: stringify(config), files };
}
