import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Prometheus server started for a test, listening on 127.0.0.1. */
export interface RunningPrometheus {
  readonly url: string;
  /** Output of the process so far (for failure messages). */
  readonly logs: () => string;
  /** Runs a PromQL instant query and returns `data.result`. */
  query(promql: string): Promise<unknown[]>;
  stop(): Promise<void>;
}

/** Options of {@link startPrometheus}. */
export interface PrometheusOptions {
  /** Path of the prometheus binary. */
  readonly binary: string;
  /** `host:port` scrape targets. */
  readonly targets: readonly string[];
  /** Scrape interval. Default `1s`. */
  readonly scrapeInterval?: string;
  /** Extra `--enable-feature` flags. Default `exemplar-storage`. */
  readonly features?: readonly string[];
  /** Extra lines of the scrape job (YAML, indented four spaces). */
  readonly jobExtra?: string;
}

/** Finds a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${logs()}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`prometheus did not become ready:\n${logs()}`);
}

/**
 * Starts a real Prometheus on a free 127.0.0.1 port with a generated config scraping `targets`,
 * a temporary TSDB directory, and exemplar storage enabled.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const directory = mkdtempSync(join(tmpdir(), 'jts-prometheus-'));
  const interval = options.scrapeInterval ?? '1s';
  const config = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'scrape_configs:',
    '  - job_name: jts',
    `    scrape_interval: ${interval}`,
    '    scrape_timeout: 900ms',
    '    static_configs:',
    `      - targets: [${options.targets.map((target) => `'${target}'`).join(', ')}]`,
    ...(options.jobExtra ? [options.jobExtra] : []),
    '',
  ].join('\n');
  writeFileSync(join(directory, 'prometheus.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(
    options.binary,
    [
      `--config.file=${join(directory, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--enable-feature=${(options.features ?? ['exemplar-storage']).join(',')}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const logs = () => output;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, logs);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    logs,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await response.json()) as { status: string; data?: { result: unknown[] }; error?: string };
      if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
      return body.data!.result;
    },
    stop,
  };
}

/** Polls `check` every 500 ms until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
