import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROMETHEUS_DIR } from './infra-paths.js';

/** One alerting rule of the shipped rule files. */
export interface AlertRule {
  readonly file: string;
  readonly group: string;
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One `promtool test rules` file, as parsed. */
export interface RuleTestFile {
  readonly file: string;
  readonly rule_files: string[];
  readonly tests: {
    alert_rule_test?: {
      eval_time: string;
      alertname: string;
      exp_alerts?: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
    }[];
  }[];
}

/** Names of every rule file under `infra/prometheus/rules/`, alert and recording rules. */
export function ruleFiles(): string[] {
  return readdirSync(join(PROMETHEUS_DIR, 'rules'))
    .filter((name) => name.endsWith('.yml'))
    .sort();
}

/** The alert rule files (`*-alerts.yml`); the recording rules are in `recording-rules.yml`. */
export function alertRuleFiles(): string[] {
  return readdirSync(join(PROMETHEUS_DIR, 'rules'))
    .filter((name) => name.endsWith('-alerts.yml'))
    .sort();
}

/** Every alerting rule of the shipped alert rule files, in file order. */
export function loadAlertRules(): AlertRule[] {
  return alertRuleFiles().flatMap((file) => {
    const parsed = parse(readFileSync(join(PROMETHEUS_DIR, 'rules', file), 'utf8')) as {
      groups: { name: string; rules: Record<string, unknown>[] }[];
    };
    return parsed.groups.flatMap((group) =>
      group.rules
        .filter((rule) => typeof rule.alert === 'string')
        .map((rule) => ({
          file,
          group: group.name,
          alert: rule.alert as string,
          expr: rule.expr as string,
          for: rule.for as string | undefined,
          labels: (rule.labels ?? {}) as Record<string, string>,
          annotations: (rule.annotations ?? {}) as Record<string, string>,
        })),
    );
  });
}

/** Every `promtool test rules` file under `infra/prometheus/tests/`. */
export function loadRuleTests(): RuleTestFile[] {
  return readdirSync(join(PROMETHEUS_DIR, 'tests'))
    .filter((name) => name.endsWith('.test.yml'))
    .sort()
    .map((file) => ({
      file,
      ...(parse(readFileSync(join(PROMETHEUS_DIR, 'tests', file), 'utf8')) as Omit<RuleTestFile, 'file'>),
    }));
}
