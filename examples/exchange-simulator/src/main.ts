// The simulated exchange: one process, its own telemetry, graceful shutdown.
import type { AddressInfo } from 'node:net';
import { readConfig } from './config.js';
import { createExchangeServer } from './server.js';
import { onShutdown } from './shutdown.js';
import { startTelemetry } from './telemetry.js';

const config = readConfig();
const telemetry = startTelemetry(config.serviceName);
const server = createExchangeServer(config, telemetry);

server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  telemetry.logger.info({ url: `http://${config.host}:${port}` }, 'exchange simulator listening');
});

onShutdown(async (signal) => {
  telemetry.logger.info({ signal }, 'exchange simulator stopping');
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await telemetry.close();
});
