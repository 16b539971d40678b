import { describe, expect, it } from 'vitest';
import { useShippingFixture } from './support/shipping-fixture.js';
import { DATA_STREAM, eventually, inProcessShipper, lines, sequences } from './support/shipping-harness.js';

const range = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);

describe('spool shipper against the loopback _bulk stand-in', () => {
  const fx = useShippingFixture();

  it('ships every line once to its data stream, and error lines also to jts-errors', async () => {
    const shipper = inProcessShipper(fx.es.url, fx.spool.root);
    await shipper.write(lines(0, 50) + lines(50, 3, 50));
    expect(await shipper.destination.shipAll(5000)).toBe(true);
    expect(sequences(fx.es.documents(DATA_STREAM))).toEqual(range(0, 53));
    expect(sequences(fx.es.documents('jts-errors'))).toEqual([50, 51, 52]);
    const first = fx.es.documents(DATA_STREAM)[0]!;
    expect(first['@timestamp']).toBe(new Date(1_700_000_000_000).toISOString());
    expect(shipper.stats()).toMatchObject({ received: 53, shipped: 53, dropped: 0, deadLettered: 0, spooledBytes: 0 });
    await shipper.close();
  });

  it('retries while the server refuses connections and delivers everything once it is back', async () => {
    await fx.es.down();
    const shipper = inProcessShipper(fx.es.url, fx.spool.root);
    await shipper.write(lines(0, 200));
    await eventually(() => shipper.stats().failedRequests >= 2, 5000, 'failed requests');
    expect(shipper.stats().shipped).toBe(0);
    expect(shipper.stats().spooledBytes).toBeGreaterThan(0);
    expect(shipper.stats().lastError).toMatch(/ConnectionError|ECONNREFUSED/);
    await fx.es.up();
    expect(await shipper.destination.shipAll(5000)).toBe(true);
    expect(sequences(fx.es.documents(DATA_STREAM))).toEqual(range(0, 200));
    expect(shipper.stats()).toMatchObject({ received: 200, shipped: 200, spooledBytes: 0 });
    await shipper.close();
  });

  it('retries items answered 429 until they are accepted', async () => {
    const attempts = new Map<number, number>();
    fx.es.faults.itemStatus = (document) => {
      const seq = document.seq as number;
      const seen = (attempts.get(seq) ?? 0) + 1;
      attempts.set(seq, seen);
      return seq % 3 === 0 && seen <= 2 ? 429 : undefined;
    };
    const shipper = inProcessShipper(fx.es.url, fx.spool.root);
    await shipper.write(lines(0, 30));
    expect(await shipper.destination.shipAll(5000)).toBe(true);
    expect(sequences(fx.es.documents(DATA_STREAM))).toEqual(range(0, 30));
    expect(shipper.stats().retried).toBe(20); // 10 items, each answered 429 twice
    expect(shipper.stats().shipped).toBe(30);
    await shipper.close();
  });

  it('retries whole requests answered 503 and delivers after recovery', async () => {
    fx.es.faults.requestStatus = 503;
    const shipper = inProcessShipper(fx.es.url, fx.spool.root);
    await shipper.write(lines(0, 40));
    await eventually(() => shipper.stats().failedRequests >= 3, 5000, '503s');
    expect(fx.es.documents(DATA_STREAM)).toHaveLength(0);
    fx.es.faults.requestStatus = undefined;
    expect(await shipper.destination.shipAll(5000)).toBe(true);
    expect(sequences(fx.es.documents(DATA_STREAM))).toEqual(range(0, 40));
    await shipper.close();
  });

  it('dead-letters items rejected for good (400) and ships the rest', async () => {
    const { readFileSync } = await import('node:fs');
    fx.es.faults.itemStatus = (document) => ((document.seq as number) % 10 === 7 ? 400 : undefined);
    const shipper = inProcessShipper(fx.es.url, fx.spool.root);
    await shipper.write(`${lines(0, 30)}not json at all\n`);
    expect(await shipper.destination.shipAll(5000)).toBe(true);
    expect(sequences(fx.es.documents(DATA_STREAM))).toEqual(range(0, 30).filter((seq) => seq % 10 !== 7));
    const deadLetters = readFileSync(`${shipper.spoolDir}/dead-letter.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(deadLetters).toHaveLength(4);
    expect(deadLetters.filter((entry) => entry.status === 400).map((entry) => JSON.parse(entry.line).seq)).toEqual([
      7, 17, 27,
    ]);
    expect(deadLetters.find((entry) => entry.status === 400)).toMatchObject({
      index: DATA_STREAM,
      reason: expect.stringContaining('mapper_parsing_exception'),
    });
    expect(deadLetters.find((entry) => entry.status === 0)).toMatchObject({
      line: 'not json at all',
      reason: 'line is not valid JSON',
    });
    expect(shipper.stats()).toMatchObject({ received: 31, shipped: 27, deadLettered: 4, spooledBytes: 0 });
    await shipper.close();
  });

  it('times out a server that never answers, retries, and delivers when it answers again', async () => {
    fx.es.faults.hang = true;
    const shipper = inProcessShipper(fx.es.url, fx.spool.root, { requestTimeoutMs: 150 });
    await shipper.write(lines(0, 10));
    await eventually(() => shipper.stats().failedRequests >= 1, 5000, 'a timeout');
    expect(shipper.stats().lastError).toMatch(/Timeout/i);
    fx.es.faults.hang = false;
    fx.es.faults.delayMs = 30; // slow but within the timeout
    expect(await shipper.destination.shipAll(5000)).toBe(true);
    expect(sequences(fx.es.documents(DATA_STREAM))).toEqual(range(0, 10));
    await shipper.close();
  });

  it('replays unacknowledged lines after a restart under the same _id, so Elasticsearch keeps one copy', async () => {
    const { rmSync } = await import('node:fs');
    const first = inProcessShipper(fx.es.url, fx.spool.root);
    await first.write(lines(0, 25));
    expect(await first.destination.shipAll(5000)).toBe(true);
    await first.close();
    // A crash between Elasticsearch's acknowledgement and the checkpoint write:
    rmSync(`${first.spoolDir}/checkpoint.json`);
    const second = inProcessShipper(fx.es.url, fx.spool.root);
    await second.write(lines(25, 5));
    expect(await second.destination.shipAll(5000)).toBe(true);
    expect(fx.es.counts.conflicts).toBe(25);
    expect(sequences(fx.es.documents(DATA_STREAM))).toEqual(range(0, 30));
    expect(second.stats().shipped).toBe(30); // a 409 on a replayed id counts as delivered
    await second.close();
  });

  it('drop-newest: a full spool drops and counts new lines, never exceeds its bound, and ships the rest', async () => {
    await fx.es.down();
    const shipper = inProcessShipper(fx.es.url, fx.spool.root, { spoolMaxBytes: 16 * 1024 });
    for (let batch = 0; batch < 40; batch++) await shipper.write(lines(batch * 10, 10));
    const stats = shipper.stats();
    expect(stats.received).toBe(400);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.spooledBytes).toBeLessThanOrEqual(16 * 1024);
    expect(stats.lastError).toMatch(/spool full/);
    await fx.es.up();
    expect(await shipper.destination.shipAll(5000)).toBe(true);
    const shipped = sequences(fx.es.documents(DATA_STREAM));
    expect(shipped.length).toBe(400 - stats.dropped);
    expect(shipped).toEqual(range(0, shipped.length)); // the newest were dropped, the oldest kept
    await shipper.close();
  });

  it('block: a full spool holds the writer until Elasticsearch frees space, and loses nothing', async () => {
    await fx.es.down();
    const shipper = inProcessShipper(fx.es.url, fx.spool.root, { spoolMaxBytes: 16 * 1024, spoolFullPolicy: 'block' });
    let written = 0;
    const writing = (async () => {
      for (let batch = 0; batch < 40; batch++) {
        await shipper.write(lines(batch * 10, 10));
        written = batch + 1;
      }
    })();
    await eventually(() => written > 0, 2000, 'first writes');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(written).toBeLessThan(40); // held
    await fx.es.up();
    await writing;
    expect(await shipper.destination.shipAll(5000)).toBe(true);
    expect(sequences(fx.es.documents(DATA_STREAM))).toEqual(range(0, 400));
    expect(shipper.stats()).toMatchObject({ received: 400, shipped: 400, dropped: 0 });
    await shipper.close();
  });
});
