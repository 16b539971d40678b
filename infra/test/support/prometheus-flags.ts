import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROMETHEUS_DIR } from './infra-paths.js';

/**
 * The command-line flags `infra/prometheus/README.md` tells the compose service to pass (the
 * first `sh` block under "Command-line flags"), so the live tests start Prometheus the same way.
 */
export function documentedPrometheusFlags(): string[] {
  const readme = readFileSync(join(PROMETHEUS_DIR, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Command-line flags'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('infra/prometheus/README.md has no flags block under "Command-line flags"');
  return block[1]!.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('--'));
}
