import { readInfraFile, readInfraYaml } from './infra-files.js';

/** One service of the compose file, as far as the checks read it. */
export interface ComposeService {
  readonly image: string;
  readonly restart?: string;
  readonly command?: string | string[];
  readonly environment?: Record<string, string>;
  readonly volumes?: string[];
  /** Names of top-level secrets mounted at `/run/secrets/<name>`. */
  readonly secrets?: string[];
  readonly ports?: string[];
  readonly networks?: string[];
  readonly healthcheck?: { test: string[] };
  readonly depends_on?: Record<string, { condition: string }>;
  readonly deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
}

/** The parsed compose file. */
export interface ComposeFile {
  readonly services: Record<string, ComposeService>;
  readonly networks: Record<string, unknown>;
  readonly volumes: Record<string, unknown>;
  /** Top-level secrets: each read from a file on the host. */
  readonly secrets?: Record<string, { file?: string; environment?: string; content?: string }>;
}

/** Path of the compose file inside `infra/`. */
export const COMPOSE_PATH = 'docker-compose.monitoring.yml';

/** The compose file, parsed with merge keys resolved (as Compose reads it). */
export function readCompose(): ComposeFile {
  return readInfraYaml<ComposeFile>(COMPOSE_PATH);
}

/** The compose file's raw text (for interpolation checks). */
export function readComposeText(): string {
  return readInfraFile(COMPOSE_PATH);
}

/** A bind mount `source:target[:mode]` of the short syntax; named volumes have no `/` or `.` prefix. */
export function bindMounts(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? [])
    .map((volume) => {
      // The source may be an interpolation whose default holds a colon: `${DIR:-/var/lib/x}:/x:ro`.
      const match = /^(\$\{[^}]*\}|[^:]+):([^:]+)/.exec(volume);
      return { source: match?.[1] ?? '', target: match?.[2] ?? '' };
    })
    .filter(({ source }) => source.startsWith('./') || source.startsWith('/') || source.startsWith('${'));
}

/**
 * Resolves `${VAR}`, `${VAR:-default}` and `${VAR:?message}` the way Compose does, from `values`
 * (the settings of `.env.example`, or `.env`); an unset variable without a default stays as written.
 *
 * @param text - a value of the compose file
 * @param values - variable values
 * @returns the text with every resolvable reference replaced
 */
export function resolveVariables(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (whole, name: string, operator: string | undefined, argument: string) => {
      const value = values.get(name);
      if (value !== undefined && !(value === '' && operator?.startsWith(':'))) return value;
      return operator?.endsWith('-') ? argument : whole;
    },
  );
}
