import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_DIR } from './ensure-built.js';
import { startFakeElasticsearch } from '../../../../test/support/fake-elasticsearch.js';

/** Timeline of the scenario of issue 3, item 7. */
export interface OutageScenarioOptions {
  /** Logging before the outage, ms. */
  readonly beforeMs: number;
  /** Connections refused for this long, ms (30 000 in the soak, a few seconds in tests). */
  readonly outageMs: number;
  /** Logging after recovery, ms. */
  readonly afterMs: number;
  /** Lines per second. Default 2000. */
  readonly rate?: number;
  /** `false` runs the same load without Elasticsearch shipping: the baseline. Default true. */
  readonly shipper?: boolean;
}

/** What the fixture measured and what the stand-in received. */
export interface OutageScenarioResult {
  readonly lines: number;
  /** Sequence numbers in the data stream, sorted (duplicates would show twice). */
  readonly sequences: number[];
  readonly conflicts: number;
  readonly eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  readonly heapUsedBytes: { first: number; max: number; last: number; samples: number[] };
  readonly statsAtEnd: Record<string, unknown>;
  readonly statsAfterClose: Record<string, unknown>;
  readonly closeMs: number;
  readonly heapDuringOutage: { first: number; max: number; last: number };
}

/**
 * Runs `test/fixtures/log-at-rate.mjs` (the built package) against the loopback stand-in,
 * closing the stand-in's listener for `outageMs` while the fixture logs at `rate` lines/s.
 *
 * @param options - timeline
 * @returns measurements and received sequence numbers
 */
export async function runOutageScenario(options: OutageScenarioOptions): Promise<OutageScenarioResult> {
  const es = await startFakeElasticsearch();
  const spoolRoot = mkdtempSync(join(tmpdir(), 'jts-outage-'));
  try {
    const duration = options.beforeMs + options.outageMs + options.afterMs;
    const child = spawn(process.execPath, [join(PACKAGE_DIR, 'test', 'fixtures', 'log-at-rate.mjs')], {
      env: {
        ...process.env,
        JTS_ES_URL: es.url,
        JTS_LOG_SPOOL_DIR: spoolRoot,
        JTS_DURATION_MS: String(duration),
        JTS_RATE: String(options.rate ?? 2000),
        JTS_NO_ES: options.shipper === false ? '1' : '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    const started = new Promise<void>((resolve) =>
      child.stdout!.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('started')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await started;
    const t0 = Date.now();
    await new Promise((resolve) => setTimeout(resolve, options.beforeMs));
    await es.down();
    const outageStart = Date.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, options.outageMs));
    await es.up();
    const outageEnd = Date.now() - t0;
    const code = await exited;
    if (code !== 0) throw new Error(`fixture exited with ${code}: ${stdout}`);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<
      OutageScenarioResult,
      'sequences' | 'conflicts' | 'heapDuringOutage'
    >;
    const during = summary.heapUsedBytes.samples.slice(Math.floor(outageStart / 100), Math.floor(outageEnd / 100));
    return {
      ...summary,
      sequences: es
        .documents('logs-jts.rate_fixture-default')
        .map((document) => document.seq as number)
        .sort((a, b) => a - b),
      conflicts: es.counts.conflicts,
      heapDuringOutage: { first: during[0] ?? 0, max: Math.max(...during), last: during.at(-1) ?? 0 },
    };
  } finally {
    await es.close();
    rmSync(spoolRoot, { recursive: true, force: true });
  }
}
