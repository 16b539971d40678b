import { readCompose } from './compose-file.js';
import { readInfraFile } from './infra-files.js';
import { type LogstashPipeline, parseLogstashPipeline } from './logstash-config.js';
import { substituteEnvironment } from './logstash-event.js';

/** The environment the compose file gives Logstash, with placeholder secrets. */
export function logstashEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  const environment = readCompose().services.logstash!.environment!;
  const resolved = Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [
      key,
      String(value)
        .replace(/^\$\{[A-Z_]+:-([^}]*)\}$/, '$1')
        .replace(/^\$\{[A-Z_]+:\?[^}]*\}$/, `test-${key.toLowerCase()}`),
    ]),
  );
  return { ...resolved, ...overrides };
}

/** A pipeline file of `infra/logstash/pipeline`, parsed after Logstash's `${VAR}` substitution. */
export function readPipeline(
  name: 'sources' | 'audit',
  env: Record<string, string> = logstashEnvironment(),
): LogstashPipeline {
  return parseLogstashPipeline(substituteEnvironment(readInfraFile(`logstash/pipeline/${name}.conf`), env));
}
