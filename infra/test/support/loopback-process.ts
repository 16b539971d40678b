import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort } from '../../../test/support/prometheus.js';

/** A Debian binary started by a test on a free 127.0.0.1 port. */
export interface LoopbackProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<port>` (a scrape target). */
  readonly target: string;
  /** Its temporary directory (config, storage). */
  readonly directory: string;
  readonly logs: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `binary` with the arguments `args(port, directory)` and waits until `readyPath` answers 200.
 *
 * @param binary - path of the executable
 * @param args - command line, given the chosen port and a fresh temporary directory
 * @param readyPath - path polled until it answers 200, e.g. `/-/ready` or `/metrics`
 * @param files - files written into the temporary directory before start
 */
export async function startLoopbackProcess(
  binary: string,
  args: (port: number, directory: string) => string[],
  readyPath: string,
  files: Readonly<Record<string, string>> = {},
): Promise<LoopbackProcess> {
  const directory = mkdtempSync(join(tmpdir(), 'jts-loopback-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  const port = await freePort();
  let output = '';
  const child = spawn(binary, args(port, directory), { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`${binary} exited with ${child.exitCode}: ${output}`);
        return (await fetch(`${url}${readyPath}`)).ok ? true : undefined;
      },
      20_000,
      `${binary} on ${url}${readyPath}`,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { url, target: `127.0.0.1:${port}`, directory, logs: () => output, stop };
}

/** A real Alertmanager (Debian's 0.25) on a free port, one instance, no gossip cluster. */
export function startAlertmanager(
  binary: string,
  config = 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n',
): Promise<LoopbackProcess> {
  return startLoopbackProcess(
    binary,
    (port, directory) => [
      `--config.file=${join(directory, 'alertmanager.yml')}`,
      `--storage.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    '/-/ready',
    { 'alertmanager.yml': config },
  );
}

/** A real node-exporter on a free port. */
export function startNodeExporter(binary: string): Promise<LoopbackProcess> {
  return startLoopbackProcess(
    binary,
    (port) => [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    '/metrics',
  );
}
