import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { answersOk, type ManagedProcess, startManagedProcess } from './managed-process.js';
import { freePort } from './prometheus.js';

/** An Alertmanager started for a test, listening on 127.0.0.1. */
export interface RunningAlertmanager {
  readonly url: string;
  /** Gossip address (`127.0.0.1:port`), or undefined when clustering is off. */
  readonly clusterAddress: string | undefined;
  readonly directory: string;
  readonly process: ManagedProcess;
  /** `GET /api/v2/alerts` (active, silenced and inhibited alerts with their status). */
  alerts(): Promise<{ labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }[]>;
  /** Graceful stop, then the temporary directory is removed. */
  stop(): Promise<void>;
}

/** Options of {@link startAlertmanager}. */
export interface AlertmanagerOptions {
  /** Path of the prometheus-alertmanager binary. */
  readonly binary: string;
  /** The configuration file's text; `{{dir}}` is replaced by the temporary directory. */
  readonly config: string;
  /** More files written into the temporary directory (templates, secrets), by relative name. */
  readonly files?: Readonly<Record<string, string>>;
  /**
   * Gossip: listen on a free 127.0.0.1 port and join these peers. Without it clustering is off
   * (`--cluster.listen-address=`).
   */
  readonly cluster?: { readonly peers: readonly string[]; readonly port?: number };
  /** More flags (`--cluster.peer-timeout=3s`, ...). */
  readonly args?: readonly string[];
}

/** Starts a real Alertmanager on a free 127.0.0.1 port with a temporary storage directory. */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  const directory = mkdtempSync(join(tmpdir(), 'jts-alertmanager-'));
  writeFileSync(join(directory, 'alertmanager.yml'), options.config.replaceAll('{{dir}}', directory));
  for (const [name, text] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(directory, name)), { recursive: true });
    writeFileSync(join(directory, name), text.replaceAll('{{dir}}', directory));
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const clusterAddress = options.cluster ? `127.0.0.1:${options.cluster.port ?? (await freePort())}` : undefined;
  const cluster = clusterAddress
    ? [
        `--cluster.listen-address=${clusterAddress}`,
        `--cluster.advertise-address=${clusterAddress}`,
        ...options.cluster!.peers.map((peer) => `--cluster.peer=${peer}`),
      ]
    : ['--cluster.listen-address='];
  let managed: ManagedProcess;
  try {
    managed = await startManagedProcess({
      name: 'alertmanager',
      binary: options.binary,
      args: [
        `--config.file=${join(directory, 'alertmanager.yml')}`,
        `--storage.path=${join(directory, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.external-url=${url}`,
        '--log.level=warn',
        ...cluster,
        ...(options.args ?? []),
      ],
      ready: () => answersOk(`${url}/-/ready`),
    });
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    clusterAddress,
    directory,
    process: managed,
    async alerts() {
      const response = await fetch(`${url}/api/v2/alerts`);
      if (!response.ok) throw new Error(`GET /api/v2/alerts answered ${response.status}`);
      return (await response.json()) as Awaited<ReturnType<RunningAlertmanager['alerts']>>;
    },
    async stop() {
      await managed.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
