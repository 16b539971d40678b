import { type ChildProcess, spawn } from 'node:child_process';

/** A server binary started by a test (Prometheus, Alertmanager, node-exporter, VictoriaMetrics). */
export interface ManagedProcess {
  readonly child: ChildProcess;
  /** Output of the process so far (for failure messages). */
  readonly logs: () => string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, then wait for the exit: a crash, no graceful shutdown. */
  kill(): Promise<void>;
}

/** Options of {@link startManagedProcess}. */
export interface ManagedProcessOptions {
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  /** Environment added to the test's own. */
  readonly env?: Readonly<Record<string, string>>;
  /** Resolves true once the server answers; polled every 200 ms. */
  readonly ready: () => Promise<boolean>;
  /** Default 30 s. */
  readonly readyTimeoutMs?: number;
}

/** Resolves true when `url` answers 2xx; false while nothing listens there. */
export async function answersOk(url: string, init?: RequestInit): Promise<boolean> {
  try {
    return (await fetch(url, init)).ok;
  } catch {
    return false;
  }
}

/**
 * Spawns a server binary, captures its output and waits until `ready` says so; fails with the
 * process output when it exits first or does not become ready in time.
 */
export async function startManagedProcess(options: ManagedProcessOptions): Promise<ManagedProcess> {
  let output = '';
  const child = spawn(options.binary, [...options.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const managed: ManagedProcess = { child, logs: () => output, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited with ${child.exitCode}:\n${output}`);
    if (await options.ready()) return managed;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await managed.stop();
  throw new Error(`${options.name} did not become ready:\n${output}`);
}
