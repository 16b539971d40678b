/**
 * A Logstash event as the pipeline emulation sees it: nested fields, `[a][b]` references,
 * `%{...}` sprintf and `${VAR:default}` substitution, following the Logstash reference
 * ("Accessing event data and fields", "Using environment variables").
 */
export type EventValue = unknown;
export type LogstashEvent = Record<string, unknown>;

/** Splits a field reference: `[a][b]` → ['a', 'b']; a bare `a.b` is one top-level field named `a.b`. */
export function fieldPath(reference: string): string[] {
  const trimmed = reference.trim();
  if (!trimmed.startsWith('[')) return [trimmed];
  const parts = [...trimmed.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1]!);
  if (parts.join('').length + parts.length * 2 !== trimmed.length) throw new Error(`bad field reference ${reference}`);
  return parts;
}

export function getField(event: LogstashEvent, reference: string): unknown {
  let current: unknown = event;
  for (const part of fieldPath(reference)) {
    if (current === null || typeof current !== 'object' || !(part in (current as object))) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function setField(event: LogstashEvent, reference: string, value: unknown): void {
  const path = fieldPath(reference);
  let current = event;
  for (const part of path.slice(0, -1)) {
    if (current[part] === null || typeof current[part] !== 'object' || Array.isArray(current[part])) current[part] = {};
    current = current[part] as LogstashEvent;
  }
  current[path.at(-1)!] = value;
}

export function removeField(event: LogstashEvent, reference: string): void {
  const path = fieldPath(reference);
  const parent = path.length === 1 ? event : getField(event, `[${path.slice(0, -1).join('][')}]`);
  if (parent !== null && typeof parent === 'object') delete (parent as Record<string, unknown>)[path.at(-1)!];
}

/** `%{[a][b]}` and `%{a}`; a missing field stays as written, as in Logstash. Objects become JSON. */
export function sprintf(event: LogstashEvent, template: string): string {
  return template.replace(/%\{([^}]+)\}/g, (whole, reference: string) => {
    const value = getField(event, reference);
    if (value === undefined) return whole;
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** Replaces `${VAR}` and `${VAR:default}` from `env` at load time; an unset variable without default is an error. */
export function substituteEnvironment(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g,
    (_whole, name: string, fallback: string | undefined) => {
      const value = env[name];
      if (value !== undefined) return value;
      if (fallback !== undefined) return fallback;
      throw new Error(`Logstash would not start: environment variable ${name} is not set and has no default`);
    },
  );
}
