import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditTrail } from '@jts/compliance';
import type { JtsLogger } from '@jts/log';
import {
  brokerApiCall,
  httpServerRequest,
  injectHeaders,
  marketDataProcessing,
  orderExecution,
  riskCheck,
  runFromHeaders,
  strategyExecution,
} from '@jts/core';

/** A synthetic order as the strategy engine sends it. */
export interface OrderRequest {
  readonly orderId: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly orderType: 'limit' | 'market';
  readonly quantity: number;
  readonly price: number;
}

async function readJson<T>(req: IncomingMessage): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Serves one route through the http.server.request operation, continuing the caller's correlation ID. */
function serve(route: string, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Server {
  return createServer((req, res) =>
    runFromHeaders(req.headers, () =>
      httpServerRequest.run({ method: req.method, route, url: req.url, headers: req.headers }, async (scope) => {
        try {
          await handle(req, res);
        } catch (error) {
          reply(res, 500, { error: (error as Error).message });
        }
        scope.message.attributes.statusCode = res.statusCode;
        if (res.statusCode >= 500) scope.setOutcome('error', `http_${res.statusCode}`);
      }),
    ),
  );
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The broker: fills most orders, rejects some for margin. */
export function createBroker(random: () => number): Server {
  return serve('/v1/orders', async (req, res) => {
    const order = await readJson<OrderRequest>(req);
    await new Promise((resolve) => setTimeout(resolve, 1 + Math.floor(random() * 4)));
    if (random() < 0.1) reply(res, 200, { orderId: order.orderId, status: 'rejected', reason: 'insufficient_margin' });
    else reply(res, 200, { orderId: order.orderId, status: 'filled', filledQuantity: order.quantity });
  });
}

/** The order service: risk check, then the order execution with a broker API call, audited. */
export function createOrderService(brokerUrl: string, logger: JtsLogger, audit: AuditTrail): Server {
  return serve('/orders', async (req, res) => {
    const order = await readJson<OrderRequest>(req);
    const fields = { orderId: order.orderId, strategyId: order.strategyId, symbol: order.symbol, side: order.side, orderType: order.orderType, exchange: 'XNAS' };
    const event = { orderId: order.orderId, symbol: order.symbol, side: order.side, orderType: order.orderType, quantity: order.quantity, price: order.price, strategyId: order.strategyId, exchange: 'XNAS' };
    logger.info({ quantity: order.quantity, price: order.price }, 'order received');
    const allowed = riskCheck.run(fields, (scope) => {
      const ok = order.quantity * order.price <= 250_000;
      if (!ok) scope.setOutcome('rejected', 'notional_limit');
      return ok;
    });
    if (!allowed) {
      logger.warn({ notional: order.quantity * order.price }, 'order blocked by risk check');
      await audit.recordOrderEvent({ ...event, kind: 'rejected', reason: 'notional_limit' });
      return reply(res, 422, { orderId: order.orderId, status: 'rejected', reason: 'notional_limit' });
    }
    await audit.recordOrderEvent({ ...event, kind: 'submitted', broker: 'demo-broker' });
    const result = await orderExecution.run(fields, async (scope) => {
      const ack = await brokerApiCall.run({ broker: 'demo-broker', endpoint: 'POST /v1/orders' }, async () => {
        const response = await fetch(`${brokerUrl}/v1/orders`, {
          method: 'POST',
          headers: injectHeaders({ 'content-type': 'application/json' }),
          body: JSON.stringify(order),
        });
        return (await response.json()) as { status: string; reason?: string };
      });
      scope.setOutcome(ack.status === 'filled' ? 'success' : ack.status, ack.reason);
      return ack;
    });
    if (result.status === 'filled') await audit.recordOrderEvent({ ...event, kind: 'filled', filledQuantity: order.quantity, averagePrice: order.price });
    else await audit.recordOrderEvent({ ...event, kind: 'rejected', reason: result.reason ?? 'broker' });
    reply(res, 200, result);
  });
}

/** The strategy engine: one evaluation per market-data tick, sometimes an order. */
export function createStrategyEngine(orderServiceUrl: string, random: () => number) {
  let sequence = 0;
  return {
    onTick(symbol: string, price: number): Promise<unknown> {
      marketDataProcessing.run({ symbol, exchange: 'XNAS' }, () => price * 1.0001);
      return strategyExecution.run({ strategyId: 'mean-reversion-1', symbol }, async () => {
        if (random() < 0.3) return undefined;
        const order: OrderRequest = {
          orderId: `ord-${++sequence}`,
          strategyId: 'mean-reversion-1',
          symbol,
          side: random() < 0.5 ? 'buy' : 'sell',
          orderType: random() < 0.7 ? 'limit' : 'market',
          quantity: random() < 0.05 ? 5_000 : 1 + Math.floor(random() * 100),
          price,
        };
        const response = await fetch(`${orderServiceUrl}/orders`, {
          method: 'POST',
          headers: injectHeaders({ 'content-type': 'application/json' }),
          body: JSON.stringify(order),
        });
        return response.json();
      });
    },
  };
}
