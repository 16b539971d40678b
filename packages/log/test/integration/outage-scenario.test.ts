import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/ensure-built.js';
import { runOutageScenario } from '../support/outage-scenario.js';

// monitorEventLoopDelay samples every `resolution` ms and reports the whole interval, so a
// sample of 10 ms means "not blocked"; blocking is the excess over the resolution.
const RESOLUTION_MS = 10;
// The bounds. "Blocked by the shipper" is measured against the same load without the shipper, run
// just before in the same test (on a loaded 2-core CI machine the scheduler alone moves the p99 by
// 10-30 ms between runs): the p99 may exceed the baseline's by at most 20 ms (the figure).
// The single worst sample may be at most 250 ms: generous on purpose, since a loaded machine alone
// produces 50-150 ms stalls (packages/log/README.md, soak figures); what it catches is a real stall
// such as a synchronous flush, a blocked write into a full buffer, or spool I/O on the main thread.
const P99_EXCESS_OVER_BASELINE_MS = 20;
const MAX_BLOCKING_MS = 250;

describe('issue 3, item 7: Elasticsearch refuses connections while the app logs 2,000 lines/s', () => {
  beforeAll(() => ensureBuilt());

  it(
    'delivers every sequence number exactly once after recovery, with a bounded heap and an unblocked event loop',
    { retry: 1 },
    async () => {
      const timeline = { beforeMs: 1000, outageMs: 3000, afterMs: 1000 };
      const baseline = await runOutageScenario({ ...timeline, shipper: false });
      const result = await runOutageScenario(timeline);
      const report = JSON.stringify({
        ...result,
        sequences: result.sequences.length,
        heapUsedBytes: { ...result.heapUsedBytes, samples: undefined },
        baselineEventLoopDelayMs: baseline.eventLoopDelayMs,
      });

      // Every line exactly once: the stand-in keys documents by _id like Elasticsearch, and a line
      // shipped twice under two different ids would show its sequence number twice here.
      expect(result.lines).toBeGreaterThanOrEqual(9000);
      expect(result.sequences, report).toEqual(Array.from({ length: result.lines }, (_, seq) => seq));
      // The outage was real: requests failed and lines waited on disk, not in memory.
      expect(result.statsAtEnd.failedRequests, report).toBeGreaterThan(0);
      expect(result.statsAfterClose).toMatchObject({
        received: result.lines,
        shipped: result.lines,
        dropped: 0,
        deadLettered: 0,
        spooledBytes: 0,
      });

      // The main thread's heap does not grow with the backlog (6,000 lines of ~350 bytes would).
      expect(result.heapDuringOutage.last - result.heapDuringOutage.first, report).toBeLessThan(8 * 1024 * 1024);
      expect(result.heapUsedBytes.max, report).toBeLessThan(64 * 1024 * 1024);
      expect(result.statsAfterClose.shipperHeapUsedBytes as number, report).toBeLessThan(96 * 1024 * 1024);

      expect(baseline.sequences).toEqual([]); // the baseline really ran without the shipper
      expect(
        result.eventLoopDelayMs.p99 - Math.max(baseline.eventLoopDelayMs.p99, RESOLUTION_MS),
        report,
      ).toBeLessThanOrEqual(P99_EXCESS_OVER_BASELINE_MS);
      expect(result.eventLoopDelayMs.max - RESOLUTION_MS, report).toBeLessThanOrEqual(MAX_BLOCKING_MS);
    },
  );
});
