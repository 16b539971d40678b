// `npm run demo`: the example services as separate processes under a synthetic order flow, then
// one order's story across them. See README.md beside this file.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { paths, SERVICE_NAMES, type ServiceName } from './demo-services.js';
import { parseExposition } from './exposition.js';
import { findBinary, type LocalStack, startLocalStack } from './local-stack.js';
import { findOrderStory, verifyTrails } from './order-story.js';
import { startOtlpReceiver } from './otlp-receiver.js';
import { createFlowMonitor, formatProgress } from './progress.js';
import { parseOptions, USAGE } from './options.js';
import { startServices, stopServices } from './run-services.js';
import { printStory } from './story-report.js';

const here = dirname(fileURLToPath(import.meta.url));
const examplesDirectory = join(here, '../..');
const infraDirectory = join(here, '../../../infra');
const print = (line = '') => process.stdout.write(`${line}\n`);
const fail = (message: string): never => {
  process.stderr.write(`\n✖ demo failed: ${message}\n`);
  process.exit(1);
};

let options: ReturnType<typeof parseOptions>;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
if (options === undefined) {
  print(USAGE);
  process.exit(0);
}
const { directory, durationSeconds } = options;
const where = paths(directory);

print(`JTS demo: ${SERVICE_NAMES.length} services as separate processes, ${durationSeconds} s of synthetic order flow`);
print(`files of this run: ${directory}`);
const receiver = await startOtlpReceiver(where.spans);
const services = await startServices(examplesDirectory, directory, receiver.url, print, fail);
print(`OTLP receiver (stands in for Jaeger): ${receiver.url}`);

let stack: LocalStack | undefined;
if (options.stack) {
  const prometheus = findBinary('prometheus');
  const alertmanager = findBinary('prometheus-alertmanager', 'alertmanager');
  if (prometheus === undefined || alertmanager === undefined) {
    print(
      `--stack: ${prometheus === undefined ? 'prometheus' : 'alertmanager'} is not installed (apt-get install prometheus prometheus-alertmanager); going on without the stack`,
    );
  } else {
    const targets = Object.fromEntries(SERVICE_NAMES.map((name) => [name, services[name].url.replace('http://', '')]));
    stack = await startLocalStack({ prometheus, alertmanager, infraDirectory, directory, targets }).catch(
      async (error: Error) => {
        await stopServices(services);
        return fail(`the local stack did not start: ${error.message}`);
      },
    );
    print(
      `Prometheus ${stack.prometheusUrl}  Alertmanager ${stack.alertmanagerUrl} (configs of infra/, targets rewritten to the ports above)`,
    );
  }
}

let interrupted = false;
process.once('SIGINT', () => (interrupted = true));
process.once('SIGTERM', () => (interrupted = true));

// --- the flow: the strategy engine trades; we watch the order service's /metrics -------------
const monitor = createFlowMonitor(`${services['order-service'].url}/metrics`);
const live = process.stdout.isTTY === true;
const started = Date.now();
let figures = await monitor.read();
let lastPrinted = 0;
print('');
while (!interrupted && Date.now() - started < durationSeconds * 1000) {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const dead = SERVICE_NAMES.find(
    (name) => services[name].child.exitCode !== null || services[name].child.signalCode !== null,
  );
  if (dead) {
    await stopServices(services);
    fail(`${dead} stopped during the flow; see ${where.output(dead)} and ${where.log(dead)}`);
  }
  figures = await monitor.read().catch(() => figures);
  const line = formatProgress(figures, durationSeconds - (Date.now() - started) / 1000);
  if (live) process.stdout.write(`\r\u001b[2K${line}`);
  else if (Date.now() - lastPrinted >= 5000) {
    print(line);
    lastPrinted = Date.now();
  }
}
if (live) print('');
print(formatProgress(figures, 0));
if (interrupted && stack === undefined) {
  await stopServices(services);
  await receiver.close();
  print('interrupted: services stopped');
  process.exit(130);
}

// --- collect: exemplars, metric snapshots; stop (flushes logs, spans, seals the audit trails) ---
const scrapes = {} as Record<ServiceName, string>;
for (const name of SERVICE_NAMES) {
  scrapes[name] = await (
    await fetch(`${services[name].url}/metrics`, { headers: { accept: 'application/openmetrics-text' } })
  ).text();
  writeFileSync(where.metrics(name), scrapes[name]);
}
if (stack === undefined) {
  const unclean = await stopServices(services);
  if (unclean.length > 0)
    fail(`${unclean.join(', ')} did not shut down cleanly; see their .out files in ${join(directory, 'logs')}`);
} else {
  await new Promise((resolve) => setTimeout(resolve, 1500)); // one span export interval and more
}
if (figures.orders === 0) fail('no order went through the order service');

const story = findOrderStory(directory, receiver.spans, parseExposition(scrapes['order-service']));
if (typeof story === 'string') fail(`no order to tell: ${story}`);
const found = story as Exclude<typeof story, string>;
const verifications = await verifyTrails(directory);
printStory(found, verifications, print);
writeFileSync(
  where.story,
  `${JSON.stringify({ correlationId: found.correlationId, traceId: found.traceId, orderId: found.orderId, services: Object.keys(found.logs) }, null, 2)}\n`,
);

print('\n5. Where to look for more:');
for (const name of SERVICE_NAMES)
  print(
    `   ${name.padEnd(18)} ${stack ? `${services[name].url}/metrics (live)` : `${where.metrics(name)} (last scrape)`}  log ${where.log(name)}`,
  );
print(`   spans (OTLP/JSON, one per line): ${where.spans}`);
const auditCli = join(dirname(fileURLToPath(import.meta.resolve('@jts/compliance'))), 'cli.js');
for (const name of ['order-service', 'strategy-engine'] as const) {
  print(`   audit trail of ${name}: ${where.audit(name)}`);
  print(`     verify it yourself: node ${auditCli} verify ${where.audit(name)} --public-key ${where.publicKey(name)}`);
}
print(`   this story as JSON: ${where.story}`);

const failed = Object.entries(verifications).filter(([, result]) => !result?.ok);
if (failed.length > 0) fail(`audit trail verification failed: ${failed.map(([name]) => name).join(', ')}`);

if (stack) {
  print(
    `\nThe stack keeps running: Prometheus ${stack.prometheusUrl} (try order_execution_total, or /alerts), Alertmanager ${stack.alertmanagerUrl}. Ctrl-C stops everything.`,
  );
  while (!interrupted) await new Promise((resolve) => setTimeout(resolve, 500));
  print(`\nstopping (Alertmanager sent ${stack.notifications()} webhook notification(s) to the demo's sink)`);
  await stopServices(services);
  await stack.stop();
}
await receiver.close();
print('\n✔ demo complete');
