import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Absolute path of `infra/`. */
export const INFRA_DIRECTORY = fileURLToPath(new URL('../..', import.meta.url));

/** Reads a file of `infra/` as text. */
export function readInfraFile(relativePath: string): string {
  return readFileSync(`${INFRA_DIRECTORY}${relativePath}`, 'utf8');
}

/** Parses a YAML file of `infra/`, with the `<<` merge keys Compose honours. */
export function readInfraYaml<T = Record<string, unknown>>(relativePath: string): T {
  return parse(readInfraFile(relativePath), { merge: true }) as T;
}

/** Reads a `KEY=value` file (Compose's `.env` format: comments and blank lines ignored). */
export function readEnvFile(relativePath: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of readInfraFile(relativePath).split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) entries.set(match[1]!, match[2]!);
  }
  return entries;
}

/** A `${VAR}`, `${VAR:-default}`, `${VAR:?message}` reference as Compose interpolates it. */
export interface VariableReference {
  readonly name: string;
  /** `''` (plain), `:-`, `-`, `:?` or `?`. */
  readonly operator: string;
  readonly argument: string;
}

/** Every interpolated variable of a Compose file's text (`$$` escapes are the container's, not Compose's). */
export function variableReferences(text: string): VariableReference[] {
  const references: VariableReference[] = [];
  const unescaped = text.replaceAll('$$', '');
  for (const match of unescaped.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g)) {
    references.push({ name: match[1]!, operator: match[2] ?? '', argument: match[3] ?? '' });
  }
  return references;
}
