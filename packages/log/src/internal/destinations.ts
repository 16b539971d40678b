import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { JtsError } from '@jts/core';
import pino, { type DestinationStream, type Level, type StreamEntry } from 'pino';
import { type DropCounter, type GuardedDestination, guardDestination } from './safe-destination.js';
import { createPrettyDestination } from './pretty-destination.js';

/** One resolved destination. */
export type DestinationSpec =
  | { readonly kind: 'stdout'; readonly level?: Level }
  | { readonly kind: 'file'; readonly file: string; readonly level?: Level }
  | { readonly kind: 'stream'; readonly stream: DestinationStream; readonly level?: Level; readonly name?: string };

/** How file descriptors are written (chosen by measurement, see the README). */
export interface WriteSettings {
  readonly sync: boolean;
  readonly pretty: boolean;
  readonly colorize: boolean;
}

/** What pino writes to, plus the guarded parts to flush and close. */
export interface BuiltDestinations {
  readonly stream: DestinationStream;
  readonly parts: readonly GuardedDestination[];
  /** Whether pretty printing was asked for but pino-pretty is not installed. */
  readonly prettyUnavailable: boolean;
  /** Whether a stdout or file destination buffers lines in memory (async writes). */
  readonly buffered: boolean;
}

// Measured (README, "Destination choice"). Lines reach sonic-boom as UTF-8 bytes, a turn's lines
// in one slice (guardDestination's `encode`): in its `utf8` mode every write measured the byte
// length of the whole pending chunk again, about a sixth of an order's cost at 10 lines per
// event-loop turn (bench/order-path.bench.ts). stdout: async, minLength 0 (a turn's slice goes out
// as soon as no write is in flight), maxWrite 8192 (the smallest worst case over steady logging and
// bursts), maxLength bounding memory when the reader stalls (beyond it, counted drops instead of an
// ever-growing heap).
const MAX_WRITE = 8192;
// FILE_WRITES: a file destination gets the lines of one event-loop turn in one synchronous write
// at the turn's check phase. An asynchronous write costs a hand-off to libuv's thread pool and
// back, about 36 us of CPU for a 6 KB write on these machines against about 7 us for the write
// itself; a file on a local disk takes a few kilobytes into the page cache without blocking for
// long, and a turn's lines reach the kernel before the next turn. stdout stays asynchronous: a
// pipe whose reader stalls would block the event loop.
const MAX_BUFFER_BYTES = 32 * 1024 * 1024;

// Opened synchronously so a path that cannot be written fails createLogger, not a later write.
function openFile(file: string): number {
  try {
    mkdirSync(dirname(file), { recursive: true });
    return openSync(file, 'a');
  } catch (error) {
    throw new JtsError(
      'JTS_ERR_DESTINATION_UNAVAILABLE',
      `Cannot open log file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): fix destination.file or JTS_LOG_FILE`,
      { cause: error },
    );
  }
}

function sonic(dest: number, sync: boolean): DestinationStream {
  return pino.destination({
    dest,
    sync,
    ...(sync ? {} : { maxWrite: MAX_WRITE, maxLength: MAX_BUFFER_BYTES, contentMode: 'buffer' as const }),
  });
}

/**
 * Opens every destination and combines them (pino.multistream when there are several).
 *
 * @param specs - stdout, files, caller streams (the Elasticsearch shipper among them)
 * @param settings - sync / pretty choices
 * @param counter - drop counter shared by all destinations
 * @returns the combined stream and its parts
 */
export function buildDestinations(
  specs: readonly DestinationSpec[],
  settings: WriteSettings,
  counter: DropCounter,
): BuiltDestinations {
  let prettyUnavailable = false;
  const entries: StreamEntry[] = [];
  const parts: GuardedDestination[] = [];
  for (const spec of specs) {
    let guarded: GuardedDestination;
    if (spec.kind === 'stdout') {
      if (settings.pretty) {
        // Pretty output is for a developer's terminal: written synchronously, in order with console.*.
        const output = sonic(1, true);
        const pretty = createPrettyDestination(output, settings.colorize);
        prettyUnavailable = pretty === undefined;
        guarded = guardDestination(pretty ?? output, counter, 'stdout', output);
      } else {
        guarded = guardDestination(sonic(1, settings.sync), counter, 'stdout', undefined, !settings.sync);
      }
    } else if (spec.kind === 'file') {
      // A file takes each turn's lines in one synchronous write (see FILE_WRITES), or with
      // `sync`, every line in a write of its own.
      guarded = settings.sync
        ? guardDestination(sonic(openFile(spec.file), true), counter, `file ${spec.file}`)
        : guardDestination(
            pino.destination({ dest: openFile(spec.file), sync: true, contentMode: 'buffer' }),
            counter,
            `file ${spec.file}`,
            undefined,
            true,
          );
    } else {
      guarded = guardDestination(spec.stream, counter, spec.name ?? 'stream');
    }
    parts.push(guarded);
    entries.push({ stream: guarded, level: spec.level ?? 'trace' });
  }
  const stream = parts.length === 1 && specs[0]?.level === undefined ? parts[0]! : pino.multistream(entries);
  const buffered =
    !settings.sync && specs.some((spec) => spec.kind === 'file' || (spec.kind === 'stdout' && !settings.pretty));
  return { stream, parts, prettyUnavailable, buffered };
}
