import { getHeapStatistics } from 'node:v8';
import { type BulkItem, toBulkBody, toBulkItems } from './bulk-items.js';
import type { BulkSender } from './bulk-sender.js';
import { type DeadLetterFile, describeItemError } from './dead-letter.js';
import type { ResolvedShippingSettings } from './options.js';
import type { SegmentSpool, SpoolBatch } from './segment-spool.js';
import { comparePositions, type SpoolPosition } from './spool-layout.js';
import type { Counters } from './stats.js';
import { backoffDelay, createWakeup } from './wakeup.js';

/** Everything the shipper works with. */
export interface ShipperParts {
  readonly settings: ResolvedShippingSettings;
  readonly spool: SegmentSpool;
  readonly sender: BulkSender;
  readonly deadLetter: DeadLetterFile;
  readonly counters: Counters;
  /** Called with a short message on every shipping failure. */
  readonly onError: (message: string) => void;
  /** Called after the checkpoint moved (space may have been freed). */
  readonly onAcknowledged: () => void;
}

/** Moves spooled lines to Elasticsearch, one batch at a time, checkpointing what was acknowledged. */
export interface Shipper {
  /** Called by the writer after each append, with the number of lines written. */
  notifyAppended(lines: number): void;
  /** Ships everything written so far; resolves true when acknowledged, false at the deadline. */
  flush(timeoutMs: number): Promise<boolean>;
  /** Stops after the request in flight (bounded by `waitMs`); unacknowledged lines stay spooled. */
  stop(waitMs: number): Promise<void>;
}

/**
 * Starts the shipping loop. A batch is sent when `batchSize` lines are waiting, when the oldest
 * waiting line is `flushIntervalMs` old, or at once on `flush()`. Items answered 2xx or 409
 * (op_type create on an existing `_id`: a replay) are acknowledged; 429 and 5xx items, and whole
 * requests that fail (refused, timeout, 429, 5xx), are retried with backoff and jitter, without a
 * bound; other rejected items go to the dead-letter file. The checkpoint only moves past a batch
 * once every item of it is acknowledged or dead-lettered: at-least-once.
 *
 * @param parts - spool, sender, dead-letter file, counters and callbacks
 * @returns the shipper
 */
export function startShipper(parts: ShipperParts): Shipper {
  const { settings, spool, sender, deadLetter, counters } = parts;
  const dataWakeup = createWakeup();
  const retryWakeup = createWakeup();
  const waiters: Array<{ target: SpoolPosition; resolve: (done: boolean) => void }> = [];
  let unsent = 0;
  let idle = false;
  let stopped = false;
  let flushGeneration = 0;

  const publish = () => {
    counters.set('shipperHeapUsedBytes', getHeapStatistics().used_heap_size);
    counters.publish();
  };

  const settleWaiters = () => {
    const acknowledged = spool.acknowledged();
    for (let index = waiters.length - 1; index >= 0; index--) {
      if (comparePositions(acknowledged, waiters[index]!.target) >= 0) waiters.splice(index, 1)[0]!.resolve(true);
    }
  };

  const reject = (item: BulkItem | undefined, id: string, line: string, status: number, reason: string) => {
    counters.add('deadLettered', 1);
    if (!deadLetter.write({ reason, status, index: item?.index, id, line }))
      parts.onError('dead-letter file not writable');
  };

  async function sendItems(batch: SpoolBatch, items: BulkItem[]): Promise<boolean> {
    let pending = items;
    let attempt = 0;
    let generation = flushGeneration;
    while (pending.length > 0) {
      if (stopped) return false;
      const outcome = await sender.send(toBulkBody(pending), pending.length);
      if (outcome.kind === 'split') {
        if (pending.length === 1) {
          const item = pending[0]!;
          reject(item, item.id, batch.lines[item.line]!.text, 400, outcome.reason);
          return true;
        }
        const half = Math.ceil(pending.length / 2);
        return (await sendItems(batch, pending.slice(0, half))) && sendItems(batch, pending.slice(half));
      }
      let retry: BulkItem[] = pending;
      if (outcome.kind === 'retry') {
        counters.add('failedRequests', 1);
        parts.onError(outcome.reason);
      } else {
        retry = [];
        outcome.results.forEach((result, position) => {
          const item = pending[position]!;
          if (result.status < 300 || result.status === 409) {
            if (item.index === settings.dataStream) counters.add('shipped', 1);
          } else if (result.status === 429 || result.status >= 500) {
            retry.push(item);
          } else {
            reject(item, item.id, batch.lines[item.line]!.text, result.status, describeItemError(result.error));
          }
        });
        if (retry.length > 0)
          parts.onError(
            `${retry.length} bulk items answered 429/5xx (first: ${describeItemError(outcome.results.find((r) => r.status === 429 || r.status >= 500)?.error)})`,
          );
      }
      pending = retry;
      if (pending.length === 0) break;
      counters.add('retried', pending.length);
      publish();
      if (generation !== flushGeneration) {
        generation = flushGeneration;
        attempt = 0;
      }
      await retryWakeup.sleep(backoffDelay(attempt++, settings.retryBaseDelayMs, settings.retryMaxDelayMs));
    }
    return true;
  }

  async function shipBatch(batch: SpoolBatch): Promise<boolean> {
    const { items, invalid } = toBulkItems(batch.lines, settings.dataStream, settings.errorStream);
    for (const { line, reason } of invalid)
      reject(undefined, batch.lines[line]!.id, batch.lines[line]!.text, 0, reason);
    if (batch.tornBytes > 0) {
      counters.add('dropped', 1);
      parts.onError(
        `skipped ${batch.tornBytes} bytes of a torn line at the end of spool segment ${batch.start.segment}`,
      );
    }
    return sendItems(batch, items);
  }

  async function run(): Promise<void> {
    let pendingSince = Number.NEGATIVE_INFINITY; // Lines left from an earlier run are due at once.
    while (!stopped) {
      publish();
      if (!spool.pending()) {
        idle = true;
        unsent = 0;
        pendingSince = Number.POSITIVE_INFINITY;
        await dataWakeup.sleep(60_000);
        continue;
      }
      idle = false;
      const now = Date.now();
      if (pendingSince === Number.POSITIVE_INFINITY) pendingSince = now;
      const waited = now - pendingSince;
      if (waiters.length === 0 && unsent < settings.batchSize && waited < settings.flushIntervalMs) {
        await dataWakeup.sleep(settings.flushIntervalMs - waited);
        continue;
      }
      const batch = spool.readBatch(settings.batchSize, settings.batchMaxBytes);
      if (batch === undefined) {
        pendingSince = Number.POSITIVE_INFINITY;
        continue;
      }
      if (!(await shipBatch(batch))) break;
      spool.acknowledge(batch);
      unsent = Math.max(0, unsent - batch.lines.length);
      publish();
      settleWaiters();
      parts.onAcknowledged();
    }
    publish();
  }

  const loop = run().catch((error: unknown) => {
    parts.onError(`shipper stopped: ${(error as Error)?.message ?? String(error)}`);
  });

  return {
    notifyAppended(lines) {
      unsent += lines;
      if (idle || unsent >= settings.batchSize) dataWakeup.wake();
    },
    flush(timeoutMs) {
      if (!spool.pending()) return Promise.resolve(true);
      return new Promise((resolve) => {
        const waiter = {
          target: spool.end(),
          resolve: (done: boolean) => {
            clearTimeout(timer);
            resolve(done);
          },
        };
        const timer = setTimeout(() => {
          const index = waiters.indexOf(waiter);
          if (index !== -1) waiters.splice(index, 1);
          resolve(false);
        }, timeoutMs);
        waiters.push(waiter);
        flushGeneration++;
        dataWakeup.wake();
        retryWakeup.wake();
      });
    },
    async stop(waitMs) {
      stopped = true;
      dataWakeup.wake();
      retryWakeup.wake();
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
      for (const waiter of waiters.splice(0)) waiter.resolve(false);
      publish();
    },
  };
}
