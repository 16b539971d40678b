import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
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
  return block[1]!
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('--'));
}

/** The snippets of the README's "Basic auth and TLS" section, parsed. */
export interface DocumentedBasicAuth {
  /** The `prometheus` scrape job of step 2. */
  readonly scrapeJob: {
    job_name: string;
    scheme: string;
    tls_config: { ca_file: string };
    basic_auth: { username: string; password_file: string };
    static_configs: { targets: string[]; labels: Record<string, string> }[];
  };
  /** Grafana's data source settings of step 3. */
  readonly grafanaDatasource: {
    url: string;
    basicAuth: boolean;
    basicAuthUser: string;
    secureJsonData: { basicAuthPassword: string };
  };
}

/**
 * The YAML blocks `infra/prometheus/README.md` gives for turning basic auth and TLS on, so the
 * live test runs what users are told to write.
 */
export function documentedBasicAuth(): DocumentedBasicAuth {
  const readme = readFileSync(join(PROMETHEUS_DIR, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Basic auth and TLS'), readme.indexOf('## Checks'));
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) =>
    parse(match[1]!.replace(/^ {3}/gm, '')),
  );
  if (blocks.length !== 2)
    throw new Error(
      'infra/prometheus/README.md "Basic auth and TLS" must hold two yaml blocks: the scrape job and the data source',
    );
  return { scrapeJob: blocks[0][0], grafanaDatasource: blocks[1] };
}
