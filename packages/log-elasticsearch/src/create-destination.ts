import { once } from 'node:events';
import { JtsError, reportDiagnostic, resolveServiceInfo } from '@jts/core';
import { registerExitFlush, withDeadline } from '@jts/core/internal';
import pino from 'pino';
import type { ElasticsearchDestinationOptions } from './options.js';
import { resolveShippingSettings } from './resolve-settings.js';
import { acquireSpoolLock } from './spool-lock.js';
import { createCounterBuffer, readStats, type ShippingStats } from './stats.js';
import { resolveTransportPath } from './transport-path.js';
import { SHIP_ALL, type TransportOptions, WORKER_EVENTS } from './worker-protocol.js';

/** A pino destination that spools to disk and ships to Elasticsearch from a worker thread. */
export interface ElasticsearchDestination {
  /** Accepts pino's newline-delimited JSON lines (a pino `ThreadStream`). */
  readonly stream: NodeJS.WritableStream;
  /** Counters of the shipper; synchronous, a few atomic reads of shared memory. */
  stats(): ShippingStats;
  /** Ships every line written so far; resolves when Elasticsearch acknowledged them or by `timeoutMs` (default `closeTimeoutMs`) at the latest: what is left stays spooled. */
  flush(timeoutMs?: number): Promise<void>;
  /** Flushes (bounded by `timeoutMs`, default `closeTimeoutMs`), stops the worker and releases the spool. Lines not shipped stay spooled for the next start. Idempotent. */
  close(timeoutMs?: number): Promise<void>;
}

type ThreadStream = NodeJS.WritableStream & {
  flush(callback: (error?: Error) => void): void;
  worker: { postMessage(message: unknown): void };
  on(event: string, listener: (...args: any[]) => void): ThreadStream;
  off(event: string, listener: (...args: any[]) => void): ThreadStream;
};

/** On exit, lines still on their way to the spool get at least this long (ms), past a shorter deadline. */
const EXIT_HANDOVER_MS = 3000;

/**
 * The worker thread is unref'd (pino does that, so it never keeps an application alive), and so is
 * the deadline's timer: while a caller awaits a flush or a close, this handle keeps the event loop
 * alive until the answer or the deadline, as a pending file write does for pino's own flush.
 */
async function keepingAlive<T>(work: () => Promise<T>): Promise<T> {
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    return await work();
  } finally {
    clearInterval(keepAlive);
  }
}

/**
 * Creates the Elasticsearch destination: lines go to `logs-jts.<service>-<namespace>` (and lines
 * at level >= error also to `jts-errors`) through a disk spool, at least once, with a
 * deterministic `_id` per line so that replays create no duplicates.
 *
 * `createLogger({ elasticsearch })` of `@jts/log` calls it; use it directly to ship the lines of a
 * plain pino logger.
 *
 * @param options - shipping options, the service identity and the lifecycle settings
 * @returns the destination (`stream` for pino, `stats`, `flush`, `close`)
 * @throws JtsError `JTS_ERR_INVALID_OPTION`, `JTS_ERR_DESTINATION_UNAVAILABLE`, `JTS_ERR_SPOOL_LOCKED`
 * @example
 * const es = createElasticsearchDestination({ url: 'http://127.0.0.1:9200', service: { name: 'order-service', version: '1.0.0', environment: 'production' } });
 * const logger = pino(es.stream);
 * logger.info('order accepted');
 * await es.close();
 */
export function createElasticsearchDestination(
  options: ElasticsearchDestinationOptions = {},
): ElasticsearchDestination {
  const environment = options.env ?? process.env;
  const service = options.service ?? resolveServiceInfo({}, environment);
  const { settings, closeTimeoutMs, flushOnExit } = resolveShippingSettings(options, service, environment);
  const target = resolveTransportPath();
  const releaseLock = acquireSpoolLock(settings.spoolDir);
  const counters = createCounterBuffer();
  let stream: ThreadStream;
  try {
    const transportOptions: TransportOptions = { settings, counters };
    // `block` writes synchronously into thread-stream's 4 MiB shared buffer, so a full spool holds
    // the application's log calls there; `drop-newest` writes asynchronously and never waits.
    const transportConfig = { target, options: transportOptions, sync: settings.spoolFullPolicy === 'block' };
    stream = pino.transport(transportConfig as Parameters<typeof pino.transport>[0]) as unknown as ThreadStream;
  } catch (error) {
    releaseLock();
    throw new JtsError(
      'JTS_ERR_DESTINATION_UNAVAILABLE',
      `Cannot start the Elasticsearch shipper worker (${(error as Error).message})`,
      { cause: error },
    );
  }

  let lastError: string | undefined;
  let closed = false;
  let nextRequest = 0;
  const shipRequests = new Map<number, (done: boolean) => void>();
  const recordError = (message: string) => {
    lastError = message;
    reportDiagnostic({ source: 'log', event: 'elasticsearch_shipping_failed', message });
  };
  stream.on(WORKER_EVENTS.error, recordError);
  stream.on(WORKER_EVENTS.shipped, (id: number, done: boolean) => shipRequests.get(id)?.(done));
  // Without a listener a dead worker would crash the application: record it instead.
  stream.on('error', (error: Error) => recordError(`shipper worker failed: ${error?.message ?? String(error)}`));

  const stats = () => readStats(counters, lastError);

  // `handoverMs`: how long to wait for the lines to reach the spool even past the deadline. The
  // exit handlers use it so that lines logged while the worker is still starting are not lost to a
  // short deadline: on disk they are shipped by the next start.
  const flush = (timeoutMs = closeTimeoutMs, handoverMs = 0): Promise<void> =>
    keepingAlive(() => flushNow(timeoutMs, handoverMs));

  async function flushNow(timeoutMs: number, handoverMs: number): Promise<void> {
    if (closed) return;
    const deadline = Date.now() + timeoutMs;
    // 1. Every line pino handed over is in the worker (and so in the spool).
    const handedOver = new Promise<void>((resolve) => stream.flush(() => resolve()));
    await withDeadline(handedOver, Math.max(timeoutMs, handoverMs));
    // 2. Every spooled line is acknowledged by Elasticsearch (or dead-lettered).
    const remaining = deadline - Date.now();
    if (remaining <= 0) return;
    const id = ++nextRequest;
    const shipped = new Promise<boolean>((resolve) => shipRequests.set(id, resolve));
    try {
      stream.worker.postMessage({ code: SHIP_ALL, id, timeoutMs: remaining });
      const done = (await withDeadline(shipped, remaining + 100)) === 'settled' && (await shipped);
      if (!done) recordError(`flush deadline of ${timeoutMs} ms passed; unshipped lines stay in the spool`);
    } catch {
      // The worker is gone; the lines stay spooled for the next start.
    } finally {
      shipRequests.delete(id);
    }
  }

  const exitFlush = (timeoutMs: number) => flush(timeoutMs, EXIT_HANDOVER_MS);
  const unregister = flushOnExit
    ? registerExitFlush({
        name: 'log:elasticsearch',
        flush: exitFlush,
        timeoutMs: closeTimeoutMs,
        received: () => stats().received,
      })
    : () => {};

  let closing: Promise<void> | undefined;
  // One deadline for the whole close: the flush, then the worker's end (its spool files closed).
  const close = (timeoutMs = closeTimeoutMs): Promise<void> =>
    (closing ??= keepingAlive(async () => {
      const deadline = Date.now() + timeoutMs;
      await flushNow(timeoutMs, 0);
      closed = true;
      unregister();
      const ended = once(stream as unknown as NodeJS.EventEmitter, 'close').catch(() => undefined);
      stream.end();
      await withDeadline(ended, deadline - Date.now());
      releaseLock();
    }));

  return { stream, stats, flush, close };
}
