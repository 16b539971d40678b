import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { instrumentHandler } from '@jts/http';
import type { ExchangeConfig } from './config.js';
import { createMatchingEngine, type ExchangeOrder } from './matching-engine.js';
import type { Telemetry } from './telemetry.js';

const ORDERS = '/v1/orders';

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readOrder(request: IncomingMessage): Promise<ExchangeOrder | undefined> {
  let text = '';
  for await (const chunk of request) text += chunk;
  try {
    const order = JSON.parse(text) as ExchangeOrder;
    const valid =
      typeof order.clientOrderId === 'string' &&
      typeof order.symbol === 'string' &&
      order.quantity > 0 &&
      order.price > 0;
    return valid ? order : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The exchange's HTTP API: `POST /v1/orders` answers after a simulated latency with a fill, a
 * partial fill or a rejection (or a 503 when busy); `/metrics` and `/healthz`. Every request is
 * an `http.server.request` run through `@jts/http`, continuing the caller's trace.
 *
 * @param config - rates and latency
 * @param telemetry - the signals (logger, scrape handler)
 * @returns the (not yet listening) server
 */
export function createExchangeServer(config: ExchangeConfig, telemetry: Telemetry): Server {
  const engine = createMatchingEngine(config);
  const { logger } = telemetry;
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = request.url?.split('?')[0];
    if (path === '/metrics') return telemetry.scrape(request, response);
    if (path === '/healthz') return reply(response, 200, { status: 'ok' });
    if (path !== ORDERS) return reply(response, 404, { error: 'not_found' });
    if (request.method !== 'POST') return reply(response, 405, { error: 'method_not_allowed' });
    const order = await readOrder(request);
    if (order === undefined) return reply(response, 400, { error: 'invalid_order' });
    await new Promise((resolve) => setTimeout(resolve, engine.latencyMs()));
    if (engine.busy()) {
      logger.warn({ client_order_id: order.clientOrderId }, 'exchange busy, order not accepted');
      return reply(response, 503, { error: 'exchange_busy' });
    }
    const execution = engine.execute(order);
    // Inside the request's context: this line carries the caller's correlation ID and trace.
    logger.info({ client_order_id: order.clientOrderId, execution }, `order ${execution.status}`);
    reply(response, 200, { clientOrderId: order.clientOrderId, ...execution });
  };
  return createServer(
    instrumentHandler(handle, { route: (request) => (request.url?.split('?')[0] === ORDERS ? ORDERS : undefined) }),
  );
}
