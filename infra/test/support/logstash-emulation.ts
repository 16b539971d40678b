import { evaluateCondition } from './logstash-conditions.js';
import {
  hashEntries,
  type LogstashPipeline,
  type LogstashPlugin,
  type LogstashStatement,
  type LogstashValue,
  pluginsOf,
  setting,
} from './logstash-config.js';
import { fieldPath, getField, type LogstashEvent, removeField, setField, sprintf } from './logstash-event.js';

/** An output an event reached, with its settings sprintf'd against the event. */
export interface RoutedOutput {
  readonly plugin: LogstashPlugin;
  /** The sprintf'd value of a setting (e.g. `index`, `document_id`). */
  readonly render: (key: string) => string | undefined;
}

/** The filter plugins the emulation implements; the test fails on any other. */
export const EMULATED_FILTERS = ['mutate', 'date', 'json', 'de_dot'] as const;

const strings = (value: LogstashValue | undefined): string[] =>
  Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];

// The order mutate applies its operations in, whatever the order in the file (Logstash reference, mutate filter).
const MUTATE_ORDER = [
  'coerce',
  'rename',
  'update',
  'replace',
  'convert',
  'gsub',
  'uppercase',
  'capitalize',
  'lowercase',
  'strip',
  'split',
  'join',
  'merge',
  'copy',
];

function addCommon(plugin: LogstashPlugin, event: LogstashEvent): void {
  for (const [key, value] of hashEntries(setting(plugin, 'add_field')))
    if (getField(event, key) === undefined) setField(event, key, sprintf(event, String(value)));
  for (const tag of strings(setting(plugin, 'add_tag'))) {
    const tags = (event.tags as string[] | undefined) ?? [];
    if (!tags.includes(tag)) event.tags = [...tags, tag];
  }
  for (const field of strings(setting(plugin, 'remove_field'))) removeField(event, field);
}

function mutate(plugin: LogstashPlugin, event: LogstashEvent): void {
  for (const operation of MUTATE_ORDER) {
    const value = setting(plugin, operation);
    if (value === undefined) continue;
    if (operation === 'rename' || operation === 'copy') {
      for (const [from, to] of hashEntries(value)) {
        const found = getField(event, from);
        if (found === undefined) continue;
        setField(event, String(to), structuredClone(found));
        if (operation === 'rename') removeField(event, from);
      }
    } else if (operation === 'replace') {
      for (const [field, to] of hashEntries(value)) setField(event, field, sprintf(event, String(to)));
    } else if (operation === 'convert') {
      for (const [field, type] of hashEntries(value)) {
        const found = getField(event, field);
        if (found !== undefined)
          setField(event, field, type === 'float' || type === 'integer' ? Number(found) : String(found));
      }
    } else if (operation === 'gsub') {
      const list = strings(value);
      for (let i = 0; i < list.length; i += 3) {
        const found = getField(event, list[i]!);
        if (typeof found === 'string')
          setField(event, list[i]!, found.replace(new RegExp(list[i + 1]!, 'g'), list[i + 2]!));
      }
    } else if (operation === 'lowercase' || operation === 'uppercase') {
      for (const field of strings(value)) {
        const found = getField(event, field);
        if (typeof found === 'string')
          setField(event, field, operation === 'lowercase' ? found.toLowerCase() : found.toUpperCase());
      }
    } else throw new Error(`mutate ${operation} is not emulated`);
  }
  addCommon(plugin, event);
}

function date(plugin: LogstashPlugin, event: LogstashEvent): void {
  const [field, ...formats] = strings(setting(plugin, 'match'));
  const raw = getField(event, field!);
  let parsed: Date | undefined;
  for (const format of formats) {
    if (format === 'ISO8601' && typeof raw === 'string' && !Number.isNaN(Date.parse(raw))) parsed = new Date(raw);
    if (format === 'UNIX_MS' && /^\d+$/.test(String(raw))) parsed = new Date(Number(raw));
    if (parsed) break;
  }
  if (!parsed) {
    event.tags = [...((event.tags as string[]) ?? []), '_dateparsefailure'];
    return;
  }
  // Logstash's date filter keeps milliseconds.
  setField(event, String(setting(plugin, 'target') ?? '@timestamp'), parsed.toISOString());
  addCommon(plugin, event);
}

function json(plugin: LogstashPlugin, event: LogstashEvent): void {
  const source = String(setting(plugin, 'source'));
  try {
    const parsed = JSON.parse(String(getField(event, source))) as Record<string, unknown>;
    const target = setting(plugin, 'target');
    if (target !== undefined) setField(event, String(target), parsed);
    else Object.assign(event, parsed);
    addCommon(plugin, event);
  } catch {
    event.tags = [
      ...((event.tags as string[]) ?? []),
      ...strings(setting(plugin, 'tag_on_failure') ?? ['_jsonparsefailure']),
    ];
  }
}

function deDot(plugin: LogstashPlugin, event: LogstashEvent): void {
  if (setting(plugin, 'nested') !== true) throw new Error('de_dot is emulated with nested => true only');
  for (const key of Object.keys(event)) {
    if (!key.includes('.') || key.startsWith('@')) continue;
    const value = event[key];
    delete event[key];
    setField(event, `[${key.split('.').join('][')}]`, value);
  }
}

function runFilters(list: readonly LogstashStatement[], event: LogstashEvent): void {
  for (const statement of list) {
    if (statement.kind === 'branch') {
      const taken = statement.clauses.find(
        (clause) => clause.condition === undefined || evaluateCondition(clause.condition, event),
      );
      if (taken) runFilters(taken.body, event);
      continue;
    }
    const run = { mutate, date, json, de_dot: deDot }[statement.name as (typeof EMULATED_FILTERS)[number]];
    if (!run) throw new Error(`filter ${statement.name} is not emulated`);
    run(statement, event);
  }
}

function route(list: readonly LogstashStatement[], event: LogstashEvent, reached: RoutedOutput[]): void {
  for (const statement of list) {
    if (statement.kind === 'branch') {
      const taken = statement.clauses.find(
        (clause) => clause.condition === undefined || evaluateCondition(clause.condition, event),
      );
      if (taken) route(taken.body, event, reached);
      continue;
    }
    reached.push({
      plugin: statement,
      render: (key) =>
        setting(statement, key) === undefined ? undefined : sprintf(event, String(setting(statement, key))),
    });
  }
}

/**
 * Runs one event through the filter section and routes it through the output section, as
 * Logstash would for the plugins in {@link EMULATED_FILTERS}. `@metadata` is kept on the event
 * and left out of the document (`document`).
 *
 * @param pipeline - a parsed pipeline (environment variables already substituted)
 * @param input - the event as the input's codec made it
 * @returns the processed event, its document (without `@metadata`) and the outputs it reached
 */
export function emulatePipeline(
  pipeline: LogstashPipeline,
  input: LogstashEvent,
): { event: LogstashEvent; document: LogstashEvent; outputs: RoutedOutput[] } {
  const event = structuredClone(input);
  runFilters(pipeline.filter, event);
  const outputs: RoutedOutput[] = [];
  route(pipeline.output, event, outputs);
  const { '@metadata': _metadata, ...document } = event;
  return { event, document, outputs };
}

/** The http output's `mapping` rendered for one event: the JSON object it sends per event. */
export function renderMapping(value: LogstashValue | undefined, event: LogstashEvent): unknown {
  if (value !== undefined && typeof value === 'object' && 'hash' in value)
    return Object.fromEntries(value.hash.map(([key, item]) => [key, renderMapping(item, event)]));
  if (Array.isArray(value)) return value.map((item) => renderMapping(item, event));
  return sprintf(event, String(value));
}

/** Field references of a pipeline's settings (`[a][b]` in sprintf and in field settings), for syntax checks. */
export function referencedFields(pipeline: LogstashPipeline): string[] {
  const found: string[] = [];
  const visit = (value: LogstashValue) => {
    if (typeof value === 'string') for (const match of value.matchAll(/%\{([^}]+)\}/g)) found.push(match[1]!);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && 'hash' in value) {
      for (const [key, item] of value.hash) {
        if (key.startsWith('[')) found.push(key);
        visit(item);
      }
    }
  };
  for (const plugin of pluginsOf([...pipeline.filter, ...pipeline.output]))
    for (const [, value] of plugin.settings) visit(value);
  for (const reference of found) fieldPath(reference);
  return found;
}
