import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePackageBuilt } from './ensure-built.js';

const root = join(import.meta.dirname, '../..');
/** The example services and the demo runner, each a workspace package built with tsup. */
export const DEMO_PACKAGES = ['exchange-simulator', 'market-data', 'order-service', 'strategy-engine', 'demo'] as const;

/** Builds the examples and the demo runner when their `dist/main.js` is missing or older than `src/`. */
export function ensureDemoBuilt(): void {
  for (const name of DEMO_PACKAGES) ensurePackageBuilt(join(root, 'examples', name), ['dist/main.js']);
}

/** A demo process run by a test. */
export interface DemoRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node examples/demo/dist/main.js` with `args`; `onOutput` sees stdout as it arrives and
 * may stop the run (it receives the child to signal).
 *
 * @param args - demo flags
 * @param options - more environment, an output watcher, a deadline
 * @returns how it ended and what it printed
 */
export function runDemo(
  args: readonly string[],
  options: {
    env?: Record<string, string>;
    onOutput?: (stdout: string, child: ReturnType<typeof spawn>) => void;
    timeoutMs?: number;
  } = {},
): Promise<DemoRun> {
  const child = spawn(process.execPath, [join(root, 'examples/demo/dist/main.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    options.onOutput?.(stdout, child);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

/** The JSON lines of a file. */
export function jsonLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
