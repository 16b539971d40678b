/** A minimal parser of Prometheus text / OpenMetrics exposition, for comparing outputs in tests. */

export interface ParsedSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
  readonly exemplar?: { readonly labels: Record<string, string>; readonly value: number; readonly timestamp?: number };
}

export interface ParsedExposition {
  readonly samples: ParsedSample[];
  readonly types: Map<string, string>;
  readonly help: Map<string, string>;
  readonly eof: boolean;
}

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_match, char: string) => (char === 'n' ? '\n' : char));
}

function parseLabels(text: string, start: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let index = start + 1;
  while (text[index] !== '}') {
    if (text[index] === ',') index++;
    const equals = text.indexOf('="', index);
    const name = text.slice(index, equals);
    let end = equals + 2;
    while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    labels[name] = unescapeLabel(text.slice(equals + 2, end));
    index = end + 1;
  }
  return [labels, index + 1];
}

function parseNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (/^nan$/i.test(text)) return Number.NaN;
  return Number(text);
}

/** Parses exposition text into samples keyed by name and labels. */
export function parseExposition(text: string): ParsedExposition {
  const samples: ParsedSample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  let eof = false;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line === '# EOF') {
      eof = true;
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      types.set(name!, type!);
      continue;
    }
    if (line.startsWith('# HELP ')) {
      const rest = line.slice(7);
      help.set(rest.slice(0, rest.indexOf(' ')), rest.slice(rest.indexOf(' ') + 1));
      continue;
    }
    if (line.startsWith('#')) continue;
    const brace = line.search(/[{ ]/);
    const name = line.slice(0, brace);
    let labels: Record<string, string> = {};
    let index = brace;
    if (line[brace] === '{') [labels, index] = parseLabels(line, brace);
    const rest = line.slice(index).trim();
    const hash = rest.indexOf(' # ');
    const valueText = (hash === -1 ? rest : rest.slice(0, hash)).split(' ')[0]!;
    let exemplar: ParsedSample['exemplar'];
    if (hash !== -1) {
      const exemplarText = rest.slice(hash + 3);
      const [exemplarLabels, after] = parseLabels(exemplarText, 0);
      const [value, timestamp] = exemplarText.slice(after).trim().split(' ');
      exemplar = {
        labels: exemplarLabels,
        value: parseNumber(value!),
        ...(timestamp === undefined ? {} : { timestamp: Number(timestamp) }),
      };
    }
    samples.push({ name, labels, value: parseNumber(valueText), ...(exemplar ? { exemplar } : {}) });
  }
  return { samples, types, help, eof };
}

/** Samples as a map from `name{sorted labels}` to value, for equality checks. */
export function sampleMap(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const sample of parseExposition(text).samples) {
    const labels = Object.keys(sample.labels)
      .sort()
      .map((name) => `${name}=${JSON.stringify(sample.labels[name])}`)
      .join(',');
    map.set(`${sample.name}{${labels}}`, sample.value);
  }
  return map;
}

/** The `sampleMap` key of a sample: name plus labels sorted by name. */
export function sampleKey(name: string, labels: Record<string, string | number> = {}): string {
  const text = Object.keys(labels)
    .sort()
    .map((label) => `${label}=${JSON.stringify(String(labels[label]))}`)
    .join(',');
  return `${name}{${text}}`;
}
