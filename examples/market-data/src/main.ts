// The market-data service: a simulated feed and its HTTP API in one process.
import type { AddressInfo } from 'node:net';
import { readConfig } from './config.js';
import { startFeed } from './feed.js';
import { createQuoteBook } from './quote-book.js';
import { createMarketDataServer } from './server.js';
import { onShutdown } from './shutdown.js';
import { startTelemetry } from './telemetry.js';

const config = readConfig();
const telemetry = startTelemetry(config.serviceName);
const book = createQuoteBook();
const stopFeed = startFeed(config, book, telemetry);
const server = createMarketDataServer(book, telemetry);

server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  telemetry.logger.info(
    { url: `http://${config.host}:${port}`, symbols: config.symbols.map((entry) => entry.symbol) },
    'market data listening',
  );
});

onShutdown(async (signal) => {
  telemetry.logger.info({ signal }, 'market data stopping');
  stopFeed();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await telemetry.close();
});
