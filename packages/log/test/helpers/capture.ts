import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { createLogger, type JtsLogger, type LoggerOptions } from '../../src/index.js';

/** A real JSON-lines sink: every chunk pino writes, kept as raw text. */
export interface Capture {
  readonly raw: string[];
  /** Raw output split into lines (a forged line would show up here as an extra entry). */
  lines(): string[];
  /** Every line parsed. */
  records(): Record<string, unknown>[];
  readonly stream: { write(line: string): void };
}

export function createCapture(): Capture {
  const raw: string[] = [];
  const lines = () =>
    raw
      .join('')
      .split('\n')
      .filter((line) => line !== '');
  return {
    raw,
    lines,
    records: () => lines().map((line) => JSON.parse(line) as Record<string, unknown>),
    stream: { write: (line: string) => void raw.push(line) },
  };
}

const loggers: JtsLogger[] = [];

/** A logger writing to an in-memory capture; closed by {@link closeLoggers}. */
export function captureLogger(options: LoggerOptions = {}): { log: JtsLogger; capture: Capture } {
  const capture = createCapture();
  const log = createLogger({
    serviceName: 'test-service',
    operations: false,
    ...options,
    destination: { stream: capture.stream },
  });
  loggers.push(log);
  return { log, capture };
}

/** Remembers a logger so the test file's afterEach closes it. */
export function track(log: JtsLogger): JtsLogger {
  loggers.push(log);
  return log;
}

export async function closeLoggers(): Promise<void> {
  await Promise.all(loggers.splice(0).map((log) => log.close(1000)));
}

const schemaPath = fileURLToPath(new URL('../../schema/log-line.schema.json', import.meta.url));
export const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ allErrors: true, strict: true, unicodeRegExp: true });
const validate = ajv.compile(schema);

/** Validates one parsed line against the published schema; returns the errors as text, or ''. */
export function schemaErrors(record: unknown): string {
  return validate(record) ? '' : ajv.errorsText(validate.errors);
}

/** Validates raw output: one JSON document per line, each matching the schema. */
export function expectValidLines(capture: Capture): Record<string, unknown>[] {
  const records = capture.records();
  for (const record of records) {
    const errors = schemaErrors(record);
    if (errors !== '') throw new Error(`line does not match the schema: ${errors}\n${JSON.stringify(record)}`);
  }
  return records;
}
