import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/** One example service started by the demo. */
export interface ServiceProcess {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** Where the process's own stdout and stderr go (warnings, crashes). */
  readonly outputFile: string;
  /** Resolves with how it ended: an exit code or a signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then the exit (SIGKILL after `timeoutMs`); true when it ended cleanly. */
  stop(timeoutMs?: number): Promise<boolean>;
}

/** A service that did not come up: the demo names it and shows why. */
export class ServiceStartError extends Error {
  constructor(
    readonly service: string,
    reason: string,
    readonly output: string,
  ) {
    super(`${service} failed to start: ${reason}`);
  }
}

const tail = (file: string, lines: number) => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
};

/**
 * Starts `node <script>` with `env` added to this process's environment and waits until
 * `<url>/healthz` answers 200.
 *
 * @param options - name, script, working directory, env, URL, output file, readiness deadline
 * @returns the running service
 * @throws ServiceStartError when it exits first or is not healthy in time (it is stopped then)
 */
export async function startService(options: {
  name: string;
  script: string;
  cwd: string;
  env: Record<string, string>;
  url: string;
  outputFile: string;
  readyTimeoutMs?: number;
}): Promise<ServiceProcess> {
  const output = openSync(options.outputFile, 'a');
  const child = spawn(process.execPath, [options.script], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', output, output],
  });
  closeSync(output);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  const service: ServiceProcess = {
    name: options.name,
    url: options.url,
    child,
    outputFile: options.outputFile,
    exited,
    async stop(timeoutMs = 10_000) {
      if (!ended) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const { code, signal } = await exited;
      clearTimeout(timer);
      // Node services exit 0 after their own shutdown; NestJS re-raises the signal it handled.
      return code === 0 || signal === 'SIGTERM';
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (ended) {
      const { code, signal } = await exited;
      throw new ServiceStartError(
        options.name,
        `exited (${signal ?? `code ${code}`}) before answering ${options.url}/healthz`,
        tail(options.outputFile, 15),
      );
    }
    try {
      if ((await fetch(`${options.url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok) return service;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await service.stop();
  throw new ServiceStartError(
    options.name,
    `${options.url}/healthz did not answer within ${options.readyTimeoutMs ?? 30_000} ms`,
    tail(options.outputFile, 15),
  );
}
