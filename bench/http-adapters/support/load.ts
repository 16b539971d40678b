/**
 * One measured load of one server case: start its process, wait for `LISTENING <port>`, warm up,
 * drive it with autocannon from this process, stop it with SIGTERM.
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
  /** Bytes of log lines the case wrote during warm-up and load. */
  readonly logBytes: number;
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

/**
 * Measures one case once.
 *
 * @param file - path of the server case
 * @param settings - connections, duration, warm-up
 * @returns its req/s, p99 and errors
 */
export async function loadCase(file: string, settings: LoadSettings): Promise<LoadResult> {
  const logFile = join(tmpdir(), `jts-bench-http-${process.pid}-${Date.now()}.log`);
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, ...BENCH_TSX_ENV, PORT: '0', LOG_FILE: logFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let result: autocannon.Result;
  let cpuMicros = Number.NaN;
  try {
    const port = await waitForPort(child, file);
    const url = `http://127.0.0.1:${port}/orders/4711`;
    if (settings.warmupSeconds > 0) await drive(url, settings.connections, settings.warmupSeconds);
    const cpuBefore = cpuMicrosOf(child.pid);
    result = await drive(url, settings.connections, settings.durationSeconds);
    cpuMicros = cpuMicrosOf(child.pid) - cpuBefore;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  let logBytes = 0;
  try {
    logBytes = statSync(logFile).size;
    rmSync(logFile);
  } catch {
    // Bare cases write no log file.
  }
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    cpuMicrosPerRequest: cpuMicros / result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    logBytes,
  };
}
