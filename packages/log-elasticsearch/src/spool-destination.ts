import { Writable } from 'node:stream';
import { createBulkSender } from './bulk-sender.js';
import { createDeadLetterFile } from './dead-letter.js';
import type { ResolvedShippingSettings } from './options.js';
import { openSegmentSpool } from './segment-spool.js';
import { startShipper } from './shipper.js';
import { createCounters } from './stats.js';

/** The writable the worker hands to thread-stream, plus the flush the main thread asks for. */
export interface SpoolDestination extends Writable {
  /** Ships everything written so far; true when acknowledged before `timeoutMs`. */
  shipAll(timeoutMs: number): Promise<boolean>;
}

/**
 * Creates the worker-side destination: every chunk of pino output is appended to the disk spool
 * synchronously (this runs in the worker thread, so it never blocks the application's event
 * loop) before thread-stream is told it was consumed; the shipper sends it on from there.
 * With `block`, a chunk that does not fit is held (and thread-stream stops reading) until the
 * shipper frees space; with `drop-newest` it is counted as dropped.
 *
 * @param settings - resolved settings
 * @param counterBuffer - shared counters read by the main thread's `stats()`
 * @param onError - receives each shipping error message
 * @returns the destination
 */
export function createSpoolDestination(
  settings: ResolvedShippingSettings,
  counterBuffer: SharedArrayBuffer,
  onError: (message: string) => void,
): SpoolDestination {
  const counters = createCounters(counterBuffer);
  const spool = openSegmentSpool(settings, counters);
  const sender = createBulkSender(settings);
  const allowDrop = settings.spoolFullPolicy === 'drop-newest';
  let held: { text: string; callback: () => void } | undefined;

  const append = (text: string, dropAnyway: boolean): boolean => {
    const before = counters.get('received');
    const result = spool.append(text, allowDrop || dropAnyway);
    if (result === 'full') return false;
    if (result === 'dropped') onError('spool full: lines dropped (spoolFullPolicy drop-newest)');
    counters.publish();
    shipper.notifyAppended(counters.get('received') - before);
    return true;
  };

  const shipper = startShipper({
    settings,
    spool,
    sender,
    deadLetter: createDeadLetterFile(settings.deadLetterPath),
    counters,
    onError,
    onAcknowledged() {
      if (held && append(held.text, false)) {
        const { callback } = held;
        held = undefined;
        callback();
      }
    },
  });

  // Power-loss safety of the spool: one fdatasync per interval while lines arrive, none when idle.
  const syncSpool = () => {
    try {
      if (spool.sync()) counters.publish();
    } catch (error) {
      onError(`spool fdatasync failed: ${(error as Error).message}`);
    }
  };
  const syncTimer = settings.spoolSyncIntervalMs > 0 ? setInterval(syncSpool, settings.spoolSyncIntervalMs) : undefined;
  syncTimer?.unref();

  const destination = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (append(text, false)) callback();
      else held = { text, callback: () => callback() };
    },
    final(callback) {
      if (held) {
        append(held.text, true);
        held.callback();
        held = undefined;
      }
      if (syncTimer) {
        clearInterval(syncTimer);
        syncSpool();
      }
      shipper
        .stop(250)
        .then(() => sender.close())
        .finally(() => {
          spool.close();
          callback();
        });
    },
  }) as SpoolDestination;
  destination.shipAll = (timeoutMs) => shipper.flush(timeoutMs);
  return destination;
}
