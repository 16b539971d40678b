import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter, once } from 'node:events';
import { isJtsError, onDiagnostic } from '@jts/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createLogger } from '../src/index.js';
import { guardDestination } from '../src/internal/safe-destination.js';
import { closeLoggers, createCapture, schemaErrors, track } from './helpers/capture.js';

const directory = mkdtempSync(join(tmpdir(), 'jts-log-dest-'));
afterEach(async () => {
  await closeLoggers();
  delete process.env.JTS_LOG_FILE;
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const readLines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('destinations', () => {
  it('writes to a file, creating its directory; flush() makes every line visible', async () => {
    const file = join(directory, 'nested', 'dir', 'app.log');
    const log = track(createLogger({ serviceName: 'files', operations: false, destination: { file } }));
    for (let index = 0; index < 500; index++) log.info({ seq: index }, 'to file');
    await log.flush();
    const lines = readLines(file);
    expect(lines.map((line) => line.seq)).toEqual(Array.from({ length: 500 }, (_, index) => index));
    for (const line of lines) expect(schemaErrors(line)).toBe('');
  });

  it('takes the file from JTS_LOG_FILE when no destination is given', async () => {
    const file = join(directory, 'from-env.log');
    process.env.JTS_LOG_FILE = file;
    const log = track(createLogger({ serviceName: 'env-file', operations: false, sync: true }));
    log.warn('via env');
    expect(readLines(file).map((line) => line.message)).toEqual(['via env']);
  });

  it('appends to an existing file instead of truncating it', async () => {
    const file = join(directory, 'append.log');
    writeFileSync(file, '{"earlier":true}\n');
    const log = track(createLogger({ operations: false, destination: { file } }));
    log.info('later');
    await log.close();
    expect(readLines(file).map((line) => line.earlier ?? line.message)).toEqual([true, 'later']);
  });

  it('fails fast with JTS_ERR_DESTINATION_UNAVAILABLE when the file cannot be opened', () => {
    const blocker = join(directory, 'not-a-directory');
    writeFileSync(blocker, 'x');
    let error: unknown;
    try {
      createLogger({ destination: { file: join(blocker, 'app.log') } });
    } catch (caught) {
      error = caught;
    }
    expect(isJtsError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('JTS_ERR_DESTINATION_UNAVAILABLE');
    expect((error as Error).message).toMatch(/not-a-directory.*JTS_LOG_FILE/);
  });

  it('writes to several destinations at once, each with its own minimum level', async () => {
    const file = join(directory, 'errors-only.log');
    const all = createCapture();
    const log = track(
      createLogger({
        operations: false,
        level: 'debug',
        destination: [{ stream: all.stream }, { file, level: 'error' }],
      }),
    );
    log.debug('d');
    log.info('i');
    log.error(new Error('e'));
    await log.flush();
    expect(all.records().map((line) => line.message)).toEqual(['d', 'i', 'e']);
    expect(readLines(file).map((line) => line.message)).toEqual(['e']);
  });

  it('after close(), lines are counted as dropped instead of throwing', async () => {
    const file = join(directory, 'closed.log');
    const log = createLogger({ operations: false, destination: { file } });
    log.info('before');
    await log.close();
    await log.close();
    expect(() => log.info('after')).not.toThrow();
    expect(() => log.child({ a: 1 }).error('after')).not.toThrow();
    expect(readLines(file).map((line) => line.message)).toEqual(['before']);
    expect(log.stats().dropped).toBe(2);
  });

  it('a destination that throws or emits errors costs a counted drop and a diagnostic, not an exception', () => {
    const diagnostics: string[] = [];
    const stop = onDiagnostic((diagnostic) => diagnostics.push(diagnostic.event));
    try {
      const failing = Object.assign(new EventEmitter(), {
        write() {
          throw new Error('disk full');
        },
      });
      const log = track(createLogger({ operations: false, destination: { stream: failing } }));
      expect(() => log.info('lost')).not.toThrow();
      expect(() => failing.emit('error', new Error('EBADF'))).not.toThrow();
      expect(log.stats()).toMatchObject({ total: 1, dropped: 1 });
      expect(diagnostics).toEqual(['write_failed', 'destination_error']);
    } finally {
      stop();
    }
  });

  it('installs one shared signal handler only while an async stdout/file destination buffers lines', async () => {
    const before = { term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') };
    track(createLogger({ operations: false, destination: { stream: createCapture().stream } }));
    track(createLogger({ operations: false, sync: true, destination: { file: join(directory, 'sync.log') } }));
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
    const first = createLogger({ operations: false, destination: { file: join(directory, 'a.log') } });
    const second = createLogger({ operations: false, destination: { file: join(directory, 'b.log') } });
    expect(process.listenerCount('SIGTERM')).toBe(before.term + 1);
    expect(process.listenerCount('SIGINT')).toBe(before.int + 1);
    await first.close();
    expect(process.listenerCount('SIGTERM')).toBe(before.term + 1);
    await second.close();
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
    expect(process.listenerCount('SIGINT')).toBe(before.int);
  });
});

describe('an async file destination takes the lines of one event-loop turn together', () => {
  it('hands one piece per turn to sonic-boom, in order; flushSync hands over what waits; a piece past the bound counts every line dropped', async () => {
    const file = join(directory, 'turns.log');
    // pino.destination is a sonic-boom, configured as @jts/log configures its file destinations.
    const sonic = pino.destination({ dest: file, sync: false, maxLength: 4000, contentMode: 'buffer' }) as unknown as {
      write(data: Buffer): boolean;
    } & EventEmitter;
    await once(sonic, 'ready');
    const pieces: number[] = [];
    const write = sonic.write.bind(sonic);
    sonic.write = (data: Buffer) => {
      pieces.push(countNewlines(data));
      return write(data);
    };
    const counter = { dropped: 0 };
    const destination = guardDestination(sonic as never, counter, `file ${file}`, undefined, true);
    const line = (index: number) => `${JSON.stringify({ seq: index, pad: 'x'.repeat(60) })}\n`;

    for (let index = 0; index < 10; index++) destination.write(line(index));
    expect(pieces).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pieces).toEqual([10]);

    // 100 lines of about 80 bytes in one turn: past the 4000-byte bound, dropped and counted as 100.
    for (let index = 10; index < 110; index++) destination.write(line(index));
    await new Promise((resolve) => setImmediate(resolve));
    expect(counter.dropped).toBe(100);

    destination.write(line(110));
    destination.write(line(111));
    destination.flushSync();
    expect(pieces).toEqual([10, 100, 2]);
    await new Promise<void>((resolve) => destination.end(resolve));
    expect(readLines(file).map((record) => record.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 110, 111]);
  });
});

describe('an async file destination keeps the order of lines of any size', () => {
  it('writes lines longer than its encoding slab between the others, in order, and multi-byte text intact', async () => {
    const file = join(directory, 'sizes.log');
    const sonic = pino.destination({ dest: file, sync: false, contentMode: 'buffer' }) as unknown as EventEmitter;
    await once(sonic, 'ready');
    const destination = guardDestination(sonic as never, { dropped: 0 }, `file ${file}`, undefined, true);
    const texts = ['a', 'b', 'x'.repeat(30_000), 'ä€𝄞'.repeat(7000), 'c'];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) destination.write(`${JSON.stringify({ round, text })}\n`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise<void>((resolve) => destination.flush(() => resolve()));
    await new Promise<void>((resolve) => destination.end(resolve));
    const written = readLines(file).map((record) => [record.round, record.text]);
    expect(written).toEqual([0, 1, 2].flatMap((round) => texts.map((text) => [round, text])));
  });
});

describe('a file destination writes once per event-loop turn', () => {
  it('has the lines of a turn in the file when the turn ends, none before, with no flush', async () => {
    const file = join(directory, 'per-turn.log');
    const log = track(createLogger({ serviceName: 'files', operations: false, destination: { file } }));
    for (let index = 0; index < 5; index++) log.info({ seq: index }, 'turn one');
    expect(readFileSync(file, 'utf8')).toBe('');
    await new Promise((resolve) => setImmediate(resolve));
    expect(readLines(file).map((line) => line.seq)).toEqual([0, 1, 2, 3, 4]);
    log.info({ seq: 5 }, 'turn two');
    await new Promise((resolve) => setImmediate(resolve));
    expect(readLines(file)).toHaveLength(6);
  });
});

function countNewlines(data: Buffer): number {
  let lines = 0;
  for (let index = data.indexOf(10); index !== -1; index = data.indexOf(10, index + 1)) lines++;
  return lines;
}
