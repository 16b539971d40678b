import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toBulkBody, toBulkItems, isErrorLevel } from '../src/bulk-items.js';
import { resolveShippingSettings } from '../src/resolve-settings.js';
import { openSegmentSpool } from '../src/segment-spool.js';
import { segmentPath } from '../src/spool-layout.js';
import { createCounters } from '../src/stats.js';
import { DATA_STREAM, lines, tempSpoolRoot, TEST_SERVICE } from './support/shipping-harness.js';

describe('segment spool', () => {
  let spool: ReturnType<typeof tempSpoolRoot>;
  beforeEach(() => {
    spool = tempSpoolRoot();
  });
  afterEach(() => spool.cleanup());
  const open = (maxBytes = 64 * 1024) => {
    const { settings } = resolveShippingSettings(
      { url: 'http://x', spoolDir: spool.root, spoolMaxBytes: maxBytes },
      TEST_SERVICE,
      {},
    );
    mkdirSync(settings.spoolDir, { recursive: true });
    const counters = createCounters();
    return { settings, counters, spool: openSegmentSpool(settings, counters) };
  };

  it('syncs only what was written since the last sync, and the finished segment when it rolls', () => {
    const { spool: s, counters } = open(32 * 1024); // 4 KiB segments
    expect(s.sync()).toBe(true); // the new segment's directory entry
    expect(s.sync()).toBe(false);
    s.append('{"a":1}\n{"b":', true);
    expect(s.sync()).toBe(true);
    expect(s.sync()).toBe(false);
    s.append('2}\n', true); // completes a line: new bytes
    expect(s.sync()).toBe(true);
    expect(counters.get('spoolSyncs')).toBe(3);
    s.append(lines(0, 200), true); // more than a segment: rolls, syncing the finished one on the way
    expect(counters.get('spoolSyncs')).toBe(4);
    expect(s.sync()).toBe(true);
    expect(counters.get('spoolSyncs')).toBe(5);
    s.close();
  });

  it('leaves the finished segment to the OS when syncing is off', () => {
    const { settings } = resolveShippingSettings(
      { url: 'http://x', spoolDir: spool.root, spoolMaxBytes: 32 * 1024, spoolSyncIntervalMs: 0 },
      TEST_SERVICE,
      {},
    );
    mkdirSync(settings.spoolDir, { recursive: true });
    const counters = createCounters();
    const s = openSegmentSpool(settings, counters);
    s.append(lines(0, 200), true);
    expect(counters.get('spoolSyncs')).toBe(0);
    s.close();
  });

  it('writes only complete lines, keeps a partial tail for the next chunk, and counts lines', () => {
    const { spool: s, counters } = open();
    expect(s.append('{"a":1}\n{"b":', true)).toBe('written');
    expect(counters.get('received')).toBe(1);
    s.append('2}\n', true);
    const batch = s.readBatch(10, 1 << 20)!;
    expect(batch.lines.map((line) => line.text)).toEqual(['{"a":1}', '{"b":2}']);
    expect(counters.get('received')).toBe(2);
    s.close();
  });

  it('gives each line an _id from spool id, segment and offset that is the same when read again after a restart', () => {
    const first = open();
    first.spool.append(lines(0, 3), true);
    const ids = first.spool.readBatch(10, 1 << 20)!.lines.map((line) => line.id);
    first.spool.close();
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]).toMatch(/^[0-9a-f]{16}-1-0$/);
    const second = open();
    expect(second.spool.readBatch(10, 1 << 20)!.lines.map((line) => line.id)).toEqual(ids);
    second.spool.close();
  });

  it('rolls segments, deletes wholly acknowledged ones and resumes from the checkpoint after a restart', () => {
    const { spool: s, settings } = open(32 * 1024); // 4 KiB segments
    for (let chunk = 0; chunk < 20; chunk++) s.append(lines(chunk * 10, 10), true);
    const segments = () => readdirSync(settings.spoolDir).filter((name) => name.startsWith('segment-'));
    expect(segments().length).toBeGreaterThanOrEqual(3);
    let acknowledged = 0;
    for (let round = 0; round < 3; round++) {
      const batch = s.readBatch(25, 1 << 20)!;
      acknowledged += batch.lines.length;
      s.acknowledge(batch);
    }
    expect(existsSync(segmentPath(settings.spoolDir, 1))).toBe(false);
    s.close();
    const reopened = open(32 * 1024);
    const next = reopened.spool.readBatch(1, 1 << 20)!;
    expect(JSON.parse(next.lines[0]!.text).seq).toBe(acknowledged);
    reopened.spool.close();
  });

  it('drop-newest keeps the spool under its byte bound; block leaves a full spool untouched', () => {
    const { spool: s, counters, settings } = open(16 * 1024);
    let dropped = 0;
    for (let chunk = 0; chunk < 100; chunk++) if (s.append(lines(chunk * 10, 10), true) === 'dropped') dropped++;
    expect(dropped).toBeGreaterThan(0);
    expect(counters.get('dropped')).toBe(dropped * 10);
    const onDisk = readdirSync(settings.spoolDir)
      .filter((name) => name.startsWith('segment-'))
      .reduce((sum, name) => sum + readFileSync(`${settings.spoolDir}/${name}`).length, 0);
    expect(onDisk).toBeLessThanOrEqual(16 * 1024);
    const before = counters.get('received');
    expect(s.append(lines(5000, 10), false)).toBe('full');
    expect(counters.get('received')).toBe(before);
    s.close();
  });

  it('skips (and reports) a torn last line of a segment left by a crash', () => {
    const first = open();
    first.spool.append(lines(0, 2), true);
    first.spool.close();
    appendFileSync(segmentPath(first.settings.spoolDir, 1), '{"seq":2,"msg":"torn');
    const second = open();
    const batch = second.spool.readBatch(10, 1 << 20)!;
    expect(batch.lines).toHaveLength(2);
    second.spool.acknowledge(batch);
    const torn = second.spool.readBatch(10, 1 << 20)!;
    expect(torn.lines).toHaveLength(0);
    expect(torn.tornBytes).toBe('{"seq":2,"msg":"torn'.length);
    second.spool.acknowledge(torn);
    expect(second.spool.pending()).toBe(false);
    second.spool.close();
  });
});

describe('bulk items', () => {
  const line = (text: string) => ({ id: 'abc-1-0', text });

  it('recognises error lines by ECS log.level (flat or nested) or pino numeric level', () => {
    expect(isErrorLevel({ 'log.level': 'error' })).toBe(true);
    expect(isErrorLevel({ 'log.level': 'FATAL' })).toBe(true);
    expect(isErrorLevel({ log: { level: 'error' } })).toBe(true);
    expect(isErrorLevel({ level: 50 })).toBe(true);
    expect(isErrorLevel({ level: 40 })).toBe(false);
    expect(isErrorLevel({ 'log.level': 'warn' })).toBe(false);
    expect(isErrorLevel({ message: 'error' })).toBe(false);
  });

  it('builds create actions with the deterministic _id, adding @timestamp only when missing', () => {
    const withStamp = '{"@timestamp":"2026-01-01T00:00:00.000001Z","log.level":"error","message":"x"}';
    const { items, invalid } = toBulkItems(
      [line(withStamp), line('{"time":0,"level":30}'), line('[1]')],
      DATA_STREAM,
      'jts-errors',
    );
    expect(invalid).toEqual([{ line: 2, reason: 'line is not a JSON object' }]);
    expect(items.map((item) => [item.index, item.line])).toEqual([
      [DATA_STREAM, 0],
      ['jts-errors', 0],
      [DATA_STREAM, 1],
    ]);
    expect(items[0]!.document).toBe(withStamp);
    expect(JSON.parse(items[2]!.document)['@timestamp']).toBe('1970-01-01T00:00:00.000Z');
    const body = toBulkBody(items.slice(0, 1));
    expect(body).toBe(`{"create":{"_index":"${DATA_STREAM}","_id":"abc-1-0"}}\n${withStamp}\n`);
  });
});
