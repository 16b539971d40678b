import { once } from 'node:events';
import { JtsError, reportDiagnostic, type ServiceInfo } from '@jts/core';
import { registerExitFlush } from '@jts/core/internal';
import pino from 'pino';
import type { ElasticsearchShippingOptions } from './options.js';
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
  /** Ships every line written so far; resolves when Elasticsearch acknowledged them or at the deadline (they stay spooled). */
  flush(timeoutMs?: number): Promise<void>;
  /** Flushes (bounded), stops the worker and releases the spool. Lines not shipped stay spooled for the next start. */
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

/** Waits for `promise` at most `ms`, then settles with `fallback`; never leaves a timer behind. */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), Math.max(0, ms));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Creates the Elasticsearch destination: lines go to `logs-jts.<service>-<namespace>` (and lines
 * at level >= error also to `jts-errors`) through a disk spool, at least once, with a
 * deterministic `_id` per line so that replays create no duplicates.
 *
 * @param options - shipping options and the service identity
 * @returns the destination (`stream` for pino, `stats`, `flush`, `close`)
 * @throws JtsError `JTS_ERR_INVALID_OPTION`, `JTS_ERR_DESTINATION_UNAVAILABLE`, `JTS_ERR_SPOOL_LOCKED`
 * @example
 * const es = createElasticsearchDestination({ url: 'http://127.0.0.1:9200', service: resolveServiceInfo() });
 * const logger = pino(es.stream);
 * logger.info('order accepted');
 * await es.close();
 */
export function createElasticsearchDestination(options: ElasticsearchShippingOptions & { service: ServiceInfo }): ElasticsearchDestination {
  const { settings, exitFlushTimeoutMs, flushOnExit } = resolveShippingSettings(options, options.service);
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
    throw new JtsError('JTS_ERR_DESTINATION_UNAVAILABLE', `Cannot start the Elasticsearch shipper worker (${(error as Error).message})`, { cause: error });
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
  async function flush(timeoutMs = exitFlushTimeoutMs, handoverMs = 0): Promise<void> {
    if (closed) return;
    const deadline = Date.now() + timeoutMs;
    // 1. Every line pino handed over is in the worker (and so in the spool).
    const handedOver = new Promise<void>((resolve) => stream.flush(() => resolve()));
    await within(handedOver, Math.max(timeoutMs, handoverMs), undefined);
    // 2. Every spooled line is acknowledged by Elasticsearch (or dead-lettered).
    const remaining = deadline - Date.now();
    if (remaining <= 0) return;
    const id = ++nextRequest;
    const shipped = new Promise<boolean>((resolve) => shipRequests.set(id, resolve));
    try {
      stream.worker.postMessage({ code: SHIP_ALL, id, timeoutMs: remaining });
      const done = await within(shipped, remaining + 100, false);
      if (!done) recordError(`flush deadline of ${timeoutMs} ms passed; unshipped lines stay in the spool`);
    } catch {
      // The worker is gone; the lines stay spooled for the next start.
    } finally {
      shipRequests.delete(id);
    }
  }

  const exitFlush = (timeoutMs: number) => flush(timeoutMs, EXIT_HANDOVER_MS);
  const unregister = flushOnExit ? registerExitFlush({ name: 'log:elasticsearch', flush: exitFlush, timeoutMs: exitFlushTimeoutMs, received: () => stats().received }) : () => {};

  async function close(timeoutMs = exitFlushTimeoutMs): Promise<void> {
    if (closed) return;
    await flush(timeoutMs);
    closed = true;
    unregister();
    const ended = once(stream as unknown as NodeJS.EventEmitter, 'close').catch(() => undefined);
    stream.end();
    await within(ended, 2000, undefined);
    releaseLock();
  }

  return { stream, stats, flush, close };
}
