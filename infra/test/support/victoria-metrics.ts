import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answersOk, type ManagedProcess, startManagedProcess } from '../../../test/support/managed-process.js';
import { freePort } from '../../../test/support/prometheus.js';

/** A single-node VictoriaMetrics: the long-term store Prometheus remote-writes to in the tests. */
export interface RunningVictoriaMetrics {
  readonly url: string;
  /** Prometheus' remote-write endpoint on it. */
  readonly writeUrl: string;
  readonly process: ManagedProcess;
  /** An instant query (at `time`, Unix seconds, default now) through its Prometheus-compatible API; returns `data.result`. */
  query(promql: string, time?: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/**
 * Starts Debian's `victoria-metrics` on a free 127.0.0.1 port with a temporary data directory.
 * `-search.latencyOffset=1s`: by default it hides samples younger than 30 s from queries.
 */
export async function startVictoriaMetrics(binary: string): Promise<RunningVictoriaMetrics> {
  const directory = mkdtempSync(join(tmpdir(), 'jts-victoria-metrics-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const process = await startManagedProcess({
    name: 'victoria-metrics',
    binary,
    args: [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${directory}`,
      '-search.latencyOffset=1s',
      '-retentionPeriod=1',
      '-loggerLevel=WARN',
    ],
    ready: () => answersOk(`${url}/health`),
  }).catch((error: unknown) => {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  });
  return {
    url,
    writeUrl: `${url}/api/v1/write`,
    process,
    async query(promql, time) {
      const at = time === undefined ? '' : `&time=${time}`;
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}${at}&nocache=1`);
      const body = (await response.json()) as { status: string; data?: { result: never[] }; error?: string };
      if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
      return body.data!.result;
    },
    async stop() {
      await process.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
