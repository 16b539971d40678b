import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAuditKeyPair } from '@jts/compliance';
import { freePort } from './free-port.js';
import { type ServiceProcess, startService } from './service-process.js';

/** The example services in start order (the strategy engine last: it trades as soon as it runs). */
export const SERVICE_NAMES = ['exchange-simulator', 'market-data', 'order-service', 'strategy-engine'] as const;
/** One of the example services. */
export type ServiceName = (typeof SERVICE_NAMES)[number];
/** The services whose every order carries one correlation ID and one trace. */
export const STORY_SERVICES: readonly ServiceName[] = ['strategy-engine', 'market-data', 'order-service'];
/** The services that keep an audit trail. */
export const AUDITED_SERVICES: readonly ServiceName[] = ['order-service', 'strategy-engine'];

/** Where a demo run puts each service's files. */
export const paths = (directory: string) => ({
  log: (service: string) => join(directory, 'logs', `${service}.log`),
  output: (service: string) => join(directory, 'logs', `${service}.out`),
  audit: (service: string) => join(directory, 'audit', service),
  privateKey: (service: string) => join(directory, 'keys', `${service}.key.pem`),
  publicKey: (service: string) => join(directory, 'keys', `${service}.pub.pem`),
  spans: join(directory, 'spans.jsonl'),
  metrics: (service: string) => join(directory, 'metrics', `${service}.prom`),
  story: join(directory, 'story.json'),
});

/**
 * Starts the four services as separate processes on free loopback ports with embedded defaults:
 * logs to files, spans to the demo's OTLP receiver (OTLP/JSON, exported every 500 ms), an audit
 * key pair per audited service. The exchange, market data and order service start together,
 * the strategy engine once they answer.
 *
 * @param examplesDirectory - the folder holding the built examples
 * @param directory - the run's directory
 * @param otlpUrl - the receiver's URL
 * @returns the running services by name
 * @throws AggregateError of a ServiceStartError per service that did not come up (the others are stopped)
 */
export async function startDemoServices(
  examplesDirectory: string,
  directory: string,
  otlpUrl: string,
): Promise<Record<ServiceName, ServiceProcess>> {
  const where = paths(directory);
  for (const folder of ['logs', 'audit', 'keys', 'metrics']) mkdirSync(join(directory, folder), { recursive: true });
  const urls = {} as Record<ServiceName, string>;
  const ports = {} as Record<ServiceName, number>;
  for (const name of SERVICE_NAMES) {
    ports[name] = await freePort();
    urls[name] = `http://127.0.0.1:${ports[name]}`;
  }
  const common = (name: ServiceName): Record<string, string> => ({
    HOST: '127.0.0.1',
    PORT: String(ports[name]),
    OTEL_SERVICE_NAME: name,
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=demo',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '500',
    JTS_LOG_FILE: where.log(name),
    JTS_LOG_PRETTY: 'false',
  });
  const audit = (name: ServiceName): Record<string, string> => {
    const keys = generateAuditKeyPair();
    writeFileSync(where.privateKey(name), keys.privateKeyPem, { mode: 0o600 });
    writeFileSync(where.publicKey(name), keys.publicKeyPem);
    return {
      JTS_AUDIT_DIR: where.audit(name),
      JTS_AUDIT_SIGNING_KEY_FILE: where.privateKey(name),
      JTS_AUDIT_CHECKPOINT_EVERY: '200',
    };
  };
  const env: Record<ServiceName, Record<string, string>> = {
    'exchange-simulator': common('exchange-simulator'),
    'market-data': { ...common('market-data'), JTS_TRACE_SAMPLING_RULES: 'market_data.processing=0.01' },
    'order-service': {
      ...common('order-service'),
      ...audit('order-service'),
      EXCHANGE_URL: urls['exchange-simulator'],
    },
    'strategy-engine': {
      ...common('strategy-engine'),
      ...audit('strategy-engine'),
      MARKET_DATA_URL: urls['market-data'],
      ORDER_SERVICE_URL: urls['order-service'],
    },
  };
  const started: Partial<Record<ServiceName, ServiceProcess>> = {};
  const start = async (name: ServiceName) => {
    started[name] = await startService({
      name,
      script: join(examplesDirectory, name, 'dist/main.js'),
      cwd: join(examplesDirectory, name),
      env: env[name],
      url: urls[name],
      outputFile: where.output(name),
    });
  };
  try {
    const first = await Promise.allSettled(SERVICE_NAMES.slice(0, 3).map(start));
    const failed = first.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    if (failed.length > 0) throw new AggregateError(failed, 'services failed to start');
    await start('strategy-engine');
  } catch (error) {
    await Promise.all(Object.values(started).map((service) => service.stop()));
    throw error;
  }
  return started as Record<ServiceName, ServiceProcess>;
}
