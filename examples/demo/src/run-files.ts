import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One parsed JSON line (a log line or an audit record). */
export type JsonLine = Readonly<Record<string, unknown>>;

/**
 * Reads a JSON-lines file; lines that are not JSON (a torn last line) are skipped.
 *
 * @param file - the path
 * @returns the parsed lines, or none when the file does not exist
 */
export function readJsonLines(file: string): JsonLine[] {
  if (!existsSync(file)) return [];
  const lines: JsonLine[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (text === '') continue;
    try {
      lines.push(JSON.parse(text) as JsonLine);
    } catch {
      // a line still being written
    }
  }
  return lines;
}

/** The records of an audit trail directory, in chain order (file names sort as the chain). */
export function readAuditRecords(directory: string): JsonLine[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => readJsonLines(join(directory, name)));
}
