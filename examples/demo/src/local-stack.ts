import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort } from './free-port.js';

/** Prometheus and Alertmanager started by `--stack`. */
export interface LocalStack {
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  /** Notifications Alertmanager sent to the demo's loopback webhook (Slack and incident receivers). */
  readonly notifications: () => number;
  stop(): Promise<void>;
}

/** Finds a binary on PATH; undefined when absent. */
export function findBinary(...names: string[]): string | undefined {
  for (const name of names) {
    for (const directory of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin']) {
      if (directory && existsSync(join(directory, name))) return join(directory, name);
    }
  }
  return undefined;
}

async function waitReady(name: string, child: ChildProcess, url: string, outputFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}; see ${outputFile}`);
    if (
      await fetch(`${url}/-/ready`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} was not ready at ${url} within 30 s; see ${outputFile}`);
}

function startBinary(
  binary: string,
  args: string[],
  outputFile: string,
  env: Record<string, string> = {},
): ChildProcess {
  const output = openSync(outputFile, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', output, output], env: { ...process.env, ...env } });
  closeSync(output);
  return child;
}

/**
 * Starts the local Prometheus and Alertmanager with the configuration files of `infra/`, changed
 * only where a loopback machine needs it: scrape targets become the demo's ports (jobs without a
 * local process are left out, as is remote_write), `/run/secrets/*` files are written with
 * placeholders, and the Slack and incident webhooks point at a loopback sink in this process.
 * The rules, routes, templates and inhibitions are the shipped ones.
 *
 * @param options - binaries, infra directory, run directory, the services' `host:port` by job
 * @returns the running stack
 */
export async function startLocalStack(options: {
  prometheus: string;
  alertmanager: string;
  infraDirectory: string;
  directory: string;
  targets: Readonly<Record<string, string>>;
}): Promise<LocalStack> {
  const home = join(options.directory, 'stack');
  mkdirSync(join(home, 'secrets'), { recursive: true });
  let notifications = 0;
  const sink = createServer((request, response) => {
    request.resume().on('end', () => {
      notifications += 1;
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

  const alertmanagerPort = await freePort();
  const alertmanagerUrl = `http://127.0.0.1:${alertmanagerPort}`;
  const shippedAlertmanager = readFileSync(join(options.infraDirectory, 'alertmanager/alertmanager.yml'), 'utf8');
  for (const [, name] of shippedAlertmanager.matchAll(/\/run\/secrets\/([\w.-]+)/g)) {
    writeFileSync(
      join(home, 'secrets', name!),
      name!.includes('slack') ? `${sinkUrl}/slack/${name}` : 'demo-placeholder',
    );
  }
  const alertmanagerConfig = parse(shippedAlertmanager, (_key, value) =>
    typeof value === 'string' ? value.replace(/^\/run\/secrets\//, `${home}/secrets/`) : value,
  );
  for (const receiver of alertmanagerConfig.receivers)
    for (const webhook of receiver.webhook_configs ?? []) webhook.url = `${sinkUrl}${new URL(webhook.url).pathname}`;
  writeFileSync(join(home, 'alertmanager.yml'), stringify(alertmanagerConfig));
  cpSync(join(options.infraDirectory, 'alertmanager/templates'), join(home, 'templates'), { recursive: true });
  const alertmanager = startBinary(
    options.alertmanager,
    [
      `--config.file=${join(home, 'alertmanager.yml')}`,
      `--storage.path=${join(home, 'alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
      `--web.external-url=${alertmanagerUrl}`,
      '--cluster.listen-address=',
    ],
    join(home, 'alertmanager.out'),
  );

  const prometheusPort = await freePort();
  const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
  const config = parse(readFileSync(join(options.infraDirectory, 'prometheus/prometheus.yml'), 'utf8'));
  const targets: Record<string, string> = {
    ...options.targets,
    alertmanager: `127.0.0.1:${alertmanagerPort}`,
    prometheus: `127.0.0.1:${prometheusPort}`,
  };
  config.scrape_configs = config.scrape_configs
    .filter((job: { job_name: string }) => targets[job.job_name] !== undefined)
    .map((job: { job_name: string; static_configs: { labels?: Record<string, string> }[] }) => ({
      ...job,
      static_configs: [{ targets: [targets[job.job_name]], labels: job.static_configs[0]?.labels }],
    }));
  config.alerting.alertmanagers[0].static_configs = [{ targets: [`127.0.0.1:${alertmanagerPort}`] }];
  delete config.remote_write;
  writeFileSync(join(home, 'prometheus.yml'), stringify(config));
  cpSync(join(options.infraDirectory, 'prometheus/rules'), join(home, 'rules'), { recursive: true });
  const prometheus = startBinary(
    options.prometheus,
    [
      `--config.file=${join(home, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(home, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      '--enable-feature=exemplar-storage,expand-external-labels',
    ],
    join(home, 'prometheus.out'),
    { PROMETHEUS_REPLICA: 'demo' },
  );

  const stop = async () => {
    const ended = (child: ChildProcess) =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => child.once('exit', () => resolve()));
    for (const child of [prometheus, alertmanager]) child.kill('SIGTERM');
    await Promise.all([ended(prometheus), ended(alertmanager)]);
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  };
  try {
    await Promise.all([
      waitReady('alertmanager', alertmanager, alertmanagerUrl, join(home, 'alertmanager.out')),
      waitReady('prometheus', prometheus, prometheusUrl, join(home, 'prometheus.out')),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { prometheusUrl, alertmanagerUrl, notifications: () => notifications, stop };
}
