import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { binaryOrSkip } from '../../test/support/infra-binaries.js';
import { recordingRules } from './support/dashboards.js';
import { INFRA_DIRECTORY } from './support/infra-files.js';

const promtool = (binary: string, ...args: string[]) =>
  spawnSync(binary, args, { cwd: `${INFRA_DIRECTORY}prometheus`, encoding: 'utf8' });

describe('recording rules of the dashboards (promtool from Debian)', () => {
  it('promtool check rules accepts recording-rules.yml', (context) => {
    const binary = binaryOrSkip('promtool', context);
    const result = promtool(binary, 'check', 'rules', 'rules/recording-rules.yml');
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${recordingRules().size} rules found`);
    expect(result.status).toBe(0);
  });

  it('promtool test rules passes tests/recording-rules.test.yml', (context) => {
    const binary = binaryOrSkip('promtool', context);
    const result = promtool(binary, 'test', 'rules', 'tests/recording-rules.test.yml');
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
