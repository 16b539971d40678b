import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { answersOk, type ManagedProcess, startManagedProcess } from './managed-process.js';

/** A Prometheus server started for a test, listening on 127.0.0.1. */
export interface RunningPrometheus {
  readonly url: string;
  /** The temporary directory holding its config, extra files and (by default) its TSDB. */
  readonly directory: string;
  /** Output of the process so far (for failure messages). */
  readonly logs: () => string;
  /** The process (to kill it without a graceful shutdown). */
  readonly process: ManagedProcess;
  /** Runs a PromQL instant query (at `time`, Unix seconds, default now) and returns `data.result`. */
  query(promql: string, time?: number): Promise<unknown[]>;
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
  /** Port to listen on (when the config must name it, e.g. a self-scrape); default a free one. */
  readonly port?: number;
  /** Environment added to the test's own (`PROMETHEUS_REPLICA` for `external_labels`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Whether the server is ready; default `GET /-/ready` answers 2xx over plain HTTP. */
  readonly ready?: (url: string) => Promise<boolean>;
  /** Keep the temporary directory after `stop()` (the caller removes it). */
  readonly keepDirectory?: boolean;
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
  const port = options.port ?? (await freePort());
  const config =
    options.config === undefined
      ? generated
      : options.config.replaceAll('{{dir}}', directory).replaceAll('{{port}}', String(port));
  writeFileSync(join(directory, 'prometheus.yml'), config);
  for (const [name, text] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(directory, name)), { recursive: true });
    writeFileSync(join(directory, name), text.replaceAll('{{dir}}', directory));
  }
  const url = `http://127.0.0.1:${port}`;
  let managed: ManagedProcess;
  try {
    managed = await startManagedProcess({
      name: 'prometheus',
      binary: options.binary,
      args: [
        `--config.file=${join(directory, 'prometheus.yml')}`,
        `--storage.tsdb.path=${options.dataDirectory ?? join(directory, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--enable-feature=${(options.features ?? ['exemplar-storage']).join(',')}`,
        '--log.level=warn',
        ...(options.args ?? []),
      ],
      env: options.env,
      ready: () => (options.ready ?? ((base: string) => answersOk(`${base}/-/ready`)))(url),
    });
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const stop = async () => {
    await managed.stop();
    if (!options.keepDirectory) rmSync(directory, { recursive: true, force: true });
  };
  return {
    url,
    directory,
    logs: managed.logs,
    process: managed,
    async query(promql, time) {
      const response = await fetch(
        `${url}/api/v1/query?query=${encodeURIComponent(promql)}${time === undefined ? '' : `&time=${time}`}`,
      );
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
