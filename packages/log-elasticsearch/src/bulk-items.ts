import type { SpoolLine } from './segment-reader.js';

/** One `create` action of a `_bulk` request: a line bound for one data stream. */
export interface BulkItem {
  /** Position of the source line in its batch. */
  readonly line: number;
  readonly index: string;
  readonly id: string;
  /** The document as JSON text (the original line unless `@timestamp` had to be added). */
  readonly document: string;
}

/** A line that cannot become a document (not a JSON object). */
export interface InvalidLine {
  readonly line: number;
  readonly reason: string;
}

const ERROR_LEVELS = new Set(['error', 'fatal', 'critical', 'alert', 'emergency']);

/**
 * Whether a parsed line is at level error or above: ECS `log.level` (flat or nested) or pino's
 * numeric `level` (error = 50, fatal = 60).
 *
 * @param document - parsed line
 * @returns true for error and fatal lines
 */
export function isErrorLevel(document: Record<string, unknown>): boolean {
  const nested = document.log as { level?: unknown } | undefined;
  const level =
    document['log.level'] ??
    (typeof nested === 'object' && nested !== null ? nested.level : undefined) ??
    document.level;
  if (typeof level === 'number') return level >= 50;
  return typeof level === 'string' && ERROR_LEVELS.has(level.toLowerCase());
}

/**
 * Turns spooled lines into bulk `create` items: every line to its data stream, and lines at
 * level >= error also to the error stream, under the same deterministic `_id`. As
 * pino-elasticsearch does for op_type `create`, a line without `@timestamp` (required by data
 * streams) gets one from pino's `time`.
 *
 * @param lines - spooled lines
 * @param dataStream - e.g. `logs-jts.order_service-default`
 * @param errorStream - e.g. `jts-errors`, or undefined
 * @returns the items, and lines that are not JSON objects
 */
export function toBulkItems(
  lines: readonly SpoolLine[],
  dataStream: string,
  errorStream: string | undefined,
): { items: BulkItem[]; invalid: InvalidLine[] } {
  const items: BulkItem[] = [];
  const invalid: InvalidLine[] = [];
  lines.forEach((line, position) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.text);
    } catch {
      invalid.push({ line: position, reason: 'line is not valid JSON' });
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      invalid.push({ line: position, reason: 'line is not a JSON object' });
      return;
    }
    const document = parsed as Record<string, unknown>;
    let text = line.text;
    if (document['@timestamp'] === undefined) {
      const time = document.time;
      const date = typeof time === 'number' || typeof time === 'string' ? new Date(time) : new Date();
      document['@timestamp'] = Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString();
      text = JSON.stringify(document);
    }
    items.push({ line: position, index: dataStream, id: line.id, document: text });
    if (errorStream !== undefined && isErrorLevel(document)) {
      items.push({ line: position, index: errorStream, id: line.id, document: text });
    }
  });
  return { items, invalid };
}

/**
 * Serialises items as a `_bulk` NDJSON body.
 *
 * @param items - bulk items
 * @returns the request body
 */
export function toBulkBody(items: readonly BulkItem[]): string {
  let body = '';
  for (const item of items) {
    body += `{"create":{"_index":${JSON.stringify(item.index)},"_id":${JSON.stringify(item.id)}}}\n${item.document}\n`;
  }
  return body;
}
