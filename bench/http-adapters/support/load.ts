/**
 * The server cases of the HTTP adapter benchmark as long-lived processes: start one, wait for
 * `LISTENING <port>`, warm it up, drive it with autocannon from this process as many times as the
 * run asks, stop it with SIGTERM.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { BENCH_TSX_ENV } from '../../harness.js';

/** What one load of one case measured. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  /** CPU time (user + system) the server process spent per request of the measured load, in µs (NaN where /proc is missing). */
  readonly cpuMicrosPerRequest: number;
  readonly errors: number;
  readonly non2xx: number;
  /** Requests the load completed. */
  readonly requests: number;
}

/** How hard and how long to drive. */
export interface LoadSettings {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

function waitForPort(child: ReturnType<typeof spawn>, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`${file} did not print LISTENING within 30 s:\n${output}`)),
      30_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /LISTENING (\d+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(Number(found[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code} before listening:\n${output}`));
    });
  });
}

/**
 * CPU time a process has used so far, in µs, from Linux's /proc (utime + stime, in USER_HZ ticks
 * of 10 ms); NaN elsewhere. Read from outside, so every case is measured the same way.
 */
function cpuMicrosOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

function drive(url: string, connections: number, duration: number): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration, pipelining: 1 });
}

/** A server case running in its own process, between loads. */
export interface RunningCase {
  readonly url: string;
  readonly pid: number | undefined;
  /** Stops the process (SIGTERM: it flushes what it buffers) and returns the bytes of log lines it wrote. */
  stop(): Promise<number>;
}

/**
 * Starts one server case and waits until it listens.
 *
 * @param file - path of the server case
 * @param nodeOptions - flags for the server's Node before `--import tsx` (e.g. `--cpu-prof`)
 * @returns the running case
 */
export async function startCase(file: string, nodeOptions: readonly string[] = []): Promise<RunningCase> {
  const logFile = join(
    tmpdir(),
    `jts-bench-http-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.log`,
  );
  // JTS_BENCH_HTTP_SERVER_CPUS (a taskset CPU list, Linux): the server runs on those CPUs only;
  // with the run itself started under `taskset -c <others>`, the load generator and the server stop
  // taking each other's core (see run.ts).
  const cpus = process.env.JTS_BENCH_HTTP_SERVER_CPUS?.trim();
  const command = cpus ? ['taskset', '-c', cpus, process.execPath] : [process.execPath];
  const child = spawn(command[0]!, [...command.slice(1), ...nodeOptions, '--import', 'tsx', file], {
    env: { ...process.env, ...BENCH_TSX_ENV, PORT: '0', LOG_FILE: logFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    let logBytes = 0;
    try {
      logBytes = statSync(logFile).size;
      rmSync(logFile);
    } catch {
      // Bare cases write no log file.
    }
    return logBytes;
  };
  try {
    const port = await waitForPort(child, file);
    return { url: `http://127.0.0.1:${port}/orders/4711`, pid: child.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Drives a running case for the warm-up (its compilers and caches settle before it is measured). */
export async function warmUp(running: RunningCase, settings: LoadSettings): Promise<void> {
  if (settings.warmupSeconds > 0) await drive(running.url, settings.connections, settings.warmupSeconds);
}

/**
 * Measures one load of a running case.
 *
 * @param running - the case, started and warmed up
 * @param settings - connections and duration
 * @returns its req/s, p99, CPU per request and errors
 */
export async function measureCase(running: RunningCase, settings: LoadSettings): Promise<LoadResult> {
  const cpuBefore = cpuMicrosOf(running.pid);
  const result = await drive(running.url, settings.connections, settings.durationSeconds);
  const cpuMicros = cpuMicrosOf(running.pid) - cpuBefore;
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    cpuMicrosPerRequest: cpuMicros / result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}
