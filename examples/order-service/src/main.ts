// The order service: Express, risk checks, the exchange over HTTP, an audit trail.
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { readConfig } from './config.js';
import { createExchangeClient } from './exchange-client.js';
import { createOrderStore } from './order-store.js';
import { createRiskLimits } from './risk-limits.js';
import { onShutdown } from './shutdown.js';
import { startTelemetry } from './telemetry.js';

const config = readConfig();
const telemetry = startTelemetry(config.serviceName);
const app = createApp({
  config,
  telemetry,
  risk: createRiskLimits(config),
  exchange: createExchangeClient(config),
  store: createOrderStore(config.orderHistory),
});

const server = app.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  telemetry.logger.info(
    { url: `http://${config.host}:${port}`, exchange_url: config.exchangeUrl },
    'order service listening',
  );
});

onShutdown(async (signal) => {
  telemetry.logger.info({ signal }, 'order service stopping');
  // In-flight orders finish (and are audited) before the trail is sealed.
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await telemetry.close();
});
