import { reportDiagnostic } from '@jts/core';
import type { DestinationStream } from 'pino';

/** What {@link guardDestination} needs to count. */
export interface DropCounter {
  dropped: number;
}

/** A destination that pino writes to and that never throws into the caller. */
export interface GuardedDestination extends DestinationStream {
  flush(callback?: (error?: Error | null) => void): void;
  flushSync(): void;
  end(callback?: () => void): void;
  readonly inner: DestinationStream;
}

const IN_FLIGHT_WAIT = new Int32Array(new SharedArrayBuffer(4));
const SLAB_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);
const IN_FLIGHT_WAIT_MS = 20;

interface Flushable {
  flush?(callback?: (error?: Error | null) => void): void;
  flushSync?(): void;
  end?(): void;
  on?(event: string, listener: (...args: unknown[]) => void): unknown;
  once?(event: string, listener: (...args: unknown[]) => void): unknown;
  readonly destroyed?: boolean;
}

/**
 * Wraps a stream so a failing or closed destination costs a counted, reported drop instead of
 * an exception in the code that logged. Also listens to sonic-boom's `drop` (buffer limit
 * reached) and `error` events, which would otherwise crash the process when unhandled.
 *
 * @param inner - sonic-boom, a Writable or anything with `write(string)`
 * @param counter - where drops are counted
 * @param name - destination name for diagnostics
 * @param control - the stream that owns the file descriptor (flush, end, events), when `inner`
 *   only transforms lines on their way to it (the pretty printer)
 * @param encode - `inner` is a sonic-boom in `buffer` content mode (synchronous for a file,
 *   asynchronous for stdout): the lines of one event-loop turn are encoded as they come and handed
 *   to it together, as one slice of UTF-8 bytes, when the turn reaches its check phase (one write
 *   per turn instead of one per line); `flush`, `flushSync` and `end` hand over what waits first
 * @returns the guarded destination
 */
export function guardDestination(
  inner: DestinationStream,
  counter: DropCounter,
  name: string,
  control: DestinationStream = inner,
  encode = false,
): GuardedDestination {
  const stream = control as DestinationStream & Flushable;
  let ended = false;
  stream.on?.('drop', (data) => {
    // A piece handed over for a whole turn is many lines: count them.
    counter.dropped += encode ? Math.max(1, countLines(data)) : 1;
  });
  const hand = (data: string | Buffer, lines: number) => {
    try {
      inner.write(data as string);
    } catch (error) {
      counter.dropped += lines;
      reportDiagnostic({
        source: 'log',
        event: 'write_failed',
        message: `${name} destination rejected a line`,
        error,
      });
    }
  };
  // Lines of the current turn, encoded as they come into a slab of memory (no joined string, no
  // copy per line); what a turn wrote is handed over as one slice. A handed slice is never written
  // again: a full slab is replaced, not reused.
  let slab = encode ? Buffer.allocUnsafe(SLAB_BYTES) : EMPTY;
  let start = 0;
  let end = 0;
  let lines = 0;
  let scheduled = false;
  const handWaiting = () => {
    scheduled = false;
    if (lines === 0) return;
    const piece = slab.subarray(start, end);
    const count = lines;
    start = end;
    lines = 0;
    hand(piece, count);
  };
  const encodeLine = (line: string) => {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    if (end + line.length * 3 > SLAB_BYTES) {
      handWaiting();
      if (line.length * 3 > SLAB_BYTES) return hand(Buffer.from(line, 'utf8'), 1);
      slab = Buffer.allocUnsafe(SLAB_BYTES);
      start = end = 0;
    }
    end += slab.write(line, end, 'utf8');
    lines++;
    if (!scheduled) {
      scheduled = true;
      setImmediate(handWaiting);
    }
  };
  stream.on?.('error', (error) => {
    reportDiagnostic({ source: 'log', event: 'destination_error', message: `${name} destination failed`, error });
  });
  return {
    inner,
    write(line: string) {
      if (ended) {
        counter.dropped++;
        return;
      }
      if (!encode) return hand(line, 1);
      encodeLine(line);
    },
    flush(callback) {
      if (ended) return void callback?.();
      handWaiting();
      const state = stream as { _writing?: unknown; _len?: unknown };
      if (typeof state._writing !== 'boolean') {
        // Not a sonic-boom: use its own flush when it has one.
        if (typeof stream.flush !== 'function') return void callback?.();
        try {
          return void stream.flush(callback);
        } catch (error) {
          return void callback?.(error as Error);
        }
      }
      // sonic-boom: its flush() calls back at once when minLength is 0, and otherwise after the
      // write in flight, possibly before a short tail is written. Wait until nothing is pending.
      let lastPending = -1;
      const settle = (error?: Error | null) => {
        if (error || ended || stream.destroyed === true) return void callback?.(error);
        if (state._writing === true) {
          stream.once?.('drain', () => settle());
          return;
        }
        const pending = typeof state._len === 'number' ? state._len : 0;
        if (pending === 0 || pending === lastPending || typeof stream.flush !== 'function') return void callback?.();
        lastPending = pending;
        try {
          stream.flush(settle);
        } catch (thrown) {
          callback?.(thrown as Error);
        }
      };
      settle();
    },
    flushSync() {
      handWaiting();
      try {
        // An async write in flight runs on libuv's thread pool and cannot be awaited here. Give
        // it a moment to land first, so the buffered lines written now come after it (order)
        // and it is not abandoned when the process dies right after (a signal).
        if ((stream as { _writing?: unknown })._writing === true) Atomics.wait(IN_FLIGHT_WAIT, 0, 0, IN_FLIGHT_WAIT_MS);
        stream.flushSync?.();
      } catch {
        // Nothing pending, or the stream is mid-write: the async write completes on its own.
      }
    },
    end(callback) {
      if (!ended) handWaiting();
      if (ended || stream.destroyed === true || typeof stream.end !== 'function') {
        ended = true;
        return void callback?.();
      }
      ended = true;
      let called = false;
      const done = () => {
        if (called) return;
        called = true;
        callback?.();
      };
      // sonic-boom's end() takes no callback: it emits 'finish' and 'close'; a Writable emits 'finish'.
      if (typeof stream.once === 'function') {
        stream.once('close', done);
        stream.once('finish', done);
        stream.once('error', done);
      }
      try {
        stream.end();
      } catch {
        done();
      }
      if (typeof stream.once !== 'function') done();
    },
  };
}

/** Lines in a piece of output (newline-terminated). */
function countLines(data: unknown): number {
  if (typeof data === 'string') return data.split('\n').length - 1;
  if (data instanceof Uint8Array) {
    let lines = 0;
    for (let index = data.indexOf(10); index !== -1; index = data.indexOf(10, index + 1)) lines++;
    return lines;
  }
  return 1;
}
