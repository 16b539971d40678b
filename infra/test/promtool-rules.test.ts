// `promtool check rules` and `promtool test rules` on the shipped files, and the coverage of those
// tests: every rule (alert name and severity) has a case where it fires with its labels and
// annotations and a case where it must not.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../../test/support/infra-binaries.js';
import { alertRuleFiles, loadAlertRules, ruleFiles, loadRuleTests, type RuleTestFile } from './support/alert-rules.js';
import { PROMETHEUS_DIR, RUNBOOK_BASE_URL } from './support/infra-paths.js';
import { runTool } from './support/run-tool.js';

const promtool = requireBinary('promtool');
const rules = loadAlertRules();
const testFiles = loadRuleTests();
const cases = testFiles.flatMap((file) => file.tests.flatMap((test) => test.alert_rule_test ?? []));

describe.skipIf(promtool === undefined)('promtool', () => {
  it.each(alertRuleFiles())('check rules accepts rules/%s', (file) => {
    const result = runTool(promtool!, ['check', 'rules', join('rules', file)], PROMETHEUS_DIR);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.status).toBe(0);
  });

  it.each(testFiles.map((file) => file.file))('test rules passes tests/%s', (file) => {
    const result = runTool(promtool!, ['test', 'rules', join('tests', file)], PROMETHEUS_DIR);
    expect(result.output).toContain('SUCCESS');
    expect(result.status, result.output).toBe(0);
  });

  it('fails a copy of a test file whose expected description is off by one word (the tests can fail)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'jts-promtool-'));
    try {
      const copy = parse(
        readFileSync(join(PROMETHEUS_DIR, 'tests', 'trading-alerts.test.yml'), 'utf8'),
      ) as RuleTestFile;
      const rulesDir = join(PROMETHEUS_DIR, 'tests');
      const mutated = { ...copy, rule_files: copy.rule_files.map((path) => join(rulesDir, path)) };
      const expected = mutated.tests
        .flatMap((test) => test.alert_rule_test ?? [])
        .flatMap((test) => test.exp_alerts ?? [])[0]!;
      expected.exp_annotations!.description = expected.exp_annotations!.description!.replace(
        'over the last',
        'during the last',
      );
      writeFileSync(join(directory, 'mutated.test.yml'), stringify(mutated));
      const result = runTool(promtool!, ['test', 'rules', join(directory, 'mutated.test.yml')]);
      expect(result.output).toContain('during the last');
      expect(result.status).not.toBe(0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('rule test coverage', () => {
  it('every rule file (alerts and recording rules) is tested by a test file', () => {
    const tested = new Set(testFiles.flatMap((file) => file.rule_files.map((path) => path.replace('../rules/', ''))));
    expect([...tested].sort()).toEqual(ruleFiles());
  });

  it.each(
    rules.map((rule) => [`${rule.alert} (${rule.labels.severity})`, rule] as const),
  )('%s fires in one case with all its labels and annotations, and stays silent in another', (_name, rule) => {
    const mine = cases.filter((test) => test.alertname === rule.alert);
    const firing = mine
      .flatMap((test) => test.exp_alerts ?? [])
      .filter((alert) => alert.exp_labels?.severity === rule.labels.severity);
    expect(firing.length, 'firing cases').toBeGreaterThan(0);
    for (const alert of firing) {
      expect(alert.exp_labels?.service, 'service label').toMatch(/\S/);
      expect(Object.keys(alert.exp_annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(alert.exp_annotations?.runbook_url).toBe(`${RUNBOOK_BASE_URL}/${rule.alert}.md`);
    }
    const silent = mine.filter(
      (test) => !(test.exp_alerts ?? []).some((alert) => alert.exp_labels?.severity === rule.labels.severity),
    );
    expect(silent.length, 'cases where it must not fire').toBeGreaterThan(0);
  });
});
