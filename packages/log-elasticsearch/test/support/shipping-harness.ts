import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceInfo } from '@jts/core';
import type { ElasticsearchShippingOptions } from '../../src/options.js';
import { resolveShippingSettings } from '../../src/resolve-settings.js';
import { createSpoolDestination, type SpoolDestination } from '../../src/spool-destination.js';
import { createCounterBuffer, readStats, type ShippingStats } from '../../src/stats.js';

export const TEST_SERVICE: ServiceInfo = Object.freeze({
  name: 'order-service',
  version: '1.0.0',
  environment: 'test',
});
export const DATA_STREAM = 'logs-jts.order_service-default';

/** Fast timings so fault tests finish in well under a second each. */
export const FAST: ElasticsearchShippingOptions = {
  flushIntervalMs: 20,
  retryBaseDelayMs: 10,
  retryMaxDelayMs: 60,
  requestTimeoutMs: 400,
};

/** A temporary spool root, removed by `cleanup()`. */
export function tempSpoolRoot(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'jts-spool-test-'));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The worker-side destination run in-process (no worker thread), as the unit tests use it. */
export interface InProcessShipper {
  readonly destination: SpoolDestination;
  readonly spoolDir: string;
  readonly errors: string[];
  stats(): ShippingStats;
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Creates the spool destination in-process against `url`.
 *
 * @param url - Elasticsearch (stand-in) URL
 * @param root - spool root directory
 * @param options - extra options
 * @param service - service identity (names the data stream and the spool subdirectory)
 */
export function inProcessShipper(
  url: string,
  root: string,
  options: ElasticsearchShippingOptions = {},
  service = TEST_SERVICE,
): InProcessShipper {
  const { settings } = resolveShippingSettings({ ...FAST, ...options, url, spoolDir: root }, service, {});
  mkdirSync(settings.spoolDir, { recursive: true });
  const buffer = createCounterBuffer();
  const errors: string[] = [];
  const destination = createSpoolDestination(settings, buffer, (message) => errors.push(message));
  return {
    destination,
    spoolDir: settings.spoolDir,
    errors,
    stats: () => readStats(buffer, errors.at(-1)),
    write: (text) =>
      new Promise((resolve, reject) => destination.write(text, (error) => (error ? reject(error) : resolve()))),
    close: () => new Promise((resolve) => destination.end(() => resolve())),
  };
}

/** pino-like NDJSON lines with a sequence number. */
export function lines(from: number, count: number, level = 30): string {
  let text = '';
  for (let seq = from; seq < from + count; seq++)
    text += `${JSON.stringify({ level, time: 1_700_000_000_000 + seq, msg: `line ${seq}`, seq })}\n`;
  return text;
}

/** Polls until `predicate` holds or `timeoutMs` passes. */
export async function eventually(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Sequence numbers of the documents in an index, sorted. */
export function sequences(documents: Record<string, unknown>[]): number[] {
  return documents.map((document) => document.seq as number).sort((a, b) => a - b);
}
