/**
 * A parser for the Logstash pipeline configuration language (the treetop grammar of logstash-core:
 * sections, plugins, `key => value` settings, arrays, hashes, `if / else if / else` branches).
 * Conditions are kept as text and evaluated by `logstash-conditions.ts`.
 */

/** A setting value (a codec is a plugin: `codec => plain { charset => "UTF-8" }`). */
export type LogstashValue = string | number | boolean | LogstashValue[] | LogstashHash | LogstashPlugin;
/** A hash value: ordered key/value pairs (keys may repeat in Logstash; the last wins). */
export interface LogstashHash {
  readonly hash: ReadonlyArray<readonly [string, LogstashValue]>;
}
/** A plugin: its name and settings in order. */
export interface LogstashPlugin {
  readonly kind: 'plugin';
  readonly name: string;
  readonly settings: ReadonlyArray<readonly [string, LogstashValue]>;
}
/** An `if` with its `else if` and `else` clauses (`condition` undefined for `else`). */
export interface LogstashBranch {
  readonly kind: 'branch';
  readonly clauses: ReadonlyArray<{ readonly condition: string | undefined; readonly body: LogstashStatement[] }>;
}
export type LogstashStatement = LogstashPlugin | LogstashBranch;
/** A parsed pipeline: its three sections (each may appear several times; they are concatenated). */
export interface LogstashPipeline {
  readonly input: LogstashStatement[];
  readonly filter: LogstashStatement[];
  readonly output: LogstashStatement[];
}

class Reader {
  position = 0;
  constructor(readonly text: string) {}

  skip(): void {
    for (;;) {
      const rest = this.text.slice(this.position);
      const space = /^(\s+|#[^\n]*)/.exec(rest);
      if (!space) return;
      this.position += space[0].length;
    }
  }

  fail(message: string): never {
    const line = this.text.slice(0, this.position).split('\n').length;
    throw new Error(
      `${message} at line ${line}: ${JSON.stringify(this.text.slice(this.position, this.position + 40))}`,
    );
  }

  accept(token: string): boolean {
    this.skip();
    if (!this.text.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  expect(token: string): void {
    if (!this.accept(token)) this.fail(`expected ${token}`);
  }

  match(pattern: RegExp): string | undefined {
    this.skip();
    const found = pattern.exec(this.text.slice(this.position));
    if (!found) return undefined;
    this.position += found[0].length;
    return found[0];
  }
}

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(["'\\])/g, '$1');
}

function value(reader: Reader): LogstashValue {
  if (reader.accept('[')) {
    const items: LogstashValue[] = [];
    while (!reader.accept(']')) {
      items.push(value(reader));
      reader.accept(',');
    }
    return items;
  }
  if (reader.accept('{')) {
    const hash: [string, LogstashValue][] = [];
    while (!reader.accept('}')) {
      const key = reader.match(/^("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|[\w@.-]+)/) ?? reader.fail('expected a hash key');
      reader.expect('=>');
      hash.push([/^["']/.test(key) ? unquote(key) : key, value(reader)]);
      reader.accept(',');
    }
    return { hash };
  }
  const quoted = reader.match(/^("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')/);
  if (quoted !== undefined) return unquote(quoted);
  const number = reader.match(/^-?\d+(\.\d+)?(?![\w])/);
  if (number !== undefined) return Number(number);
  const bare = reader.match(/^[A-Za-z_][\w-]*/) ?? reader.fail('expected a value');
  if (reader.accept('{')) return plugin(reader, bare);
  return bare === 'true' ? true : bare === 'false' ? false : bare;
}

function plugin(reader: Reader, name: string): LogstashPlugin {
  const settings: [string, LogstashValue][] = [];
  while (!reader.accept('}')) {
    const key = reader.match(/^[A-Za-z_][\w-]*/) ?? reader.fail(`expected a setting of ${name}`);
    reader.expect('=>');
    settings.push([key, value(reader)]);
  }
  return { kind: 'plugin', name, settings };
}

function statements(reader: Reader): LogstashStatement[] {
  const list: LogstashStatement[] = [];
  while (!reader.accept('}')) {
    if (reader.match(/^if\b/)) {
      const clauses: { condition: string | undefined; body: LogstashStatement[] }[] = [];
      clauses.push({ condition: condition(reader), body: statements(reader) });
      while (reader.match(/^else\b/)) {
        if (reader.match(/^if\b/)) clauses.push({ condition: condition(reader), body: statements(reader) });
        else {
          reader.expect('{');
          clauses.push({ condition: undefined, body: statements(reader) });
          break;
        }
      }
      list.push({ kind: 'branch', clauses });
      continue;
    }
    const name = reader.match(/^[A-Za-z_][\w-]*/) ?? reader.fail('expected a plugin name');
    reader.expect('{');
    list.push(plugin(reader, name));
  }
  return list;
}

// A condition runs up to the `{` of its body; strings and selectors hold no braces.
function condition(reader: Reader): string {
  reader.skip();
  const start = reader.position;
  let quote: string | undefined;
  for (; reader.position < reader.text.length; reader.position++) {
    const char = reader.text[reader.position]!;
    if (quote) {
      if (char === '\\') reader.position++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '{') break;
  }
  const text = reader.text.slice(start, reader.position).trim();
  reader.expect('{');
  if (text === '') reader.fail('empty condition');
  return text;
}

/**
 * Parses a pipeline file.
 *
 * @param text - the `.conf` file
 * @returns its sections
 * @throws Error with the line of the first syntax error
 */
export function parseLogstashPipeline(text: string): LogstashPipeline {
  const reader = new Reader(text);
  const pipeline = {
    input: [] as LogstashStatement[],
    filter: [] as LogstashStatement[],
    output: [] as LogstashStatement[],
  };
  for (;;) {
    reader.skip();
    if (reader.position >= text.length) return pipeline;
    const section = reader.match(/^(input|filter|output)\b/) ?? reader.fail('expected input, filter or output');
    reader.expect('{');
    pipeline[section as keyof typeof pipeline].push(...statements(reader));
  }
}

/** Every plugin of some statements, branches included, in order. */
export function pluginsOf(list: readonly LogstashStatement[]): LogstashPlugin[] {
  return list.flatMap((statement) =>
    statement.kind === 'plugin' ? [statement] : statement.clauses.flatMap((clause) => pluginsOf(clause.body)),
  );
}

/** The last value of a setting (Logstash: a repeated scalar setting takes the last). */
export function setting(plugin: LogstashPlugin, key: string): LogstashValue | undefined {
  return plugin.settings.filter(([name]) => name === key).at(-1)?.[1];
}

/** The entries of a hash setting, merged when the setting repeats. */
export function hashEntries(value: LogstashValue | undefined): [string, LogstashValue][] {
  return value !== undefined && typeof value === 'object' && 'hash' in value
    ? value.hash.map(([key, item]) => [key, item] as [string, LogstashValue])
    : [];
}
