import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A Prometheus server started for a test, listening on 127.0.0.1. */
export interface RunningPrometheus {
  readonly url: string;
  /** The temporary directory holding its config, extra files and (by default) its TSDB. */
  readonly directory: string;
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
  /** `host:port` scrape targets of one job `jts` (ignored when `config` is given). */
  readonly targets?: readonly string[];
  /**
   * A whole configuration file instead of the generated one (the infra tests load the shipped
   * `infra/prometheus` files this way). `{{dir}}` is replaced by the temporary directory and
   * `{{port}}` by Prometheus' own port (to scrape itself).
   */
  readonly config?: string;
  /** More files written into the temporary directory before start, by relative name (rule files, web.yml). */
  readonly files?: Readonly<Record<string, string>>;
  /** More command-line flags (`--storage.tsdb.retention.time=30d`, `--web.enable-admin-api`, ...). */
  readonly args?: readonly string[];
  /** An existing TSDB directory to start from (restore tests); default a fresh one. */
  readonly dataDirectory?: string;
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
  const generated = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'scrape_configs:',
    '  - job_name: jts',
    `    scrape_interval: ${interval}`,
    '    scrape_timeout: 900ms',
    '    static_configs:',
    `      - targets: [${(options.targets ?? []).map((target) => `'${target}'`).join(', ')}]`,
    ...(options.jobExtra ? [options.jobExtra] : []),
    '',
  ].join('\n');
  const port = await freePort();
  const config = options.config === undefined ? generated : options.config.replaceAll('{{dir}}', directory).replaceAll('{{port}}', String(port));
  writeFileSync(join(directory, 'prometheus.yml'), config);
  for (const [name, text] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(directory, name)), { recursive: true });
    writeFileSync(join(directory, name), text.replaceAll('{{dir}}', directory));
  }
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(
    options.binary,
    [
      `--config.file=${join(directory, 'prometheus.yml')}`,
      `--storage.tsdb.path=${options.dataDirectory ?? join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--enable-feature=${(options.features ?? ['exemplar-storage']).join(',')}`,
      '--log.level=warn',
      ...(options.args ?? []),
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
    directory,
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
