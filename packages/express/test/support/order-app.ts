/**
 * A realistic order service on Express (4 or 5): `@jts/express` first, a JSON body parser, a
 * router of orders with a router of fills mounted on a parameterised path, a route guarded by a
 * role check, a regex route, a route with two paths, a sub-app with its own `@jts/express`
 * middleware, the app's own error handler and `expressErrorHandler` last. One app per test file.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentContext, orderExecution } from '@jts/core';
import { type ExpressMiddlewareOptions, expressErrorHandler, expressMiddleware } from '@jts/express';
import type { ExpressVersion } from './express-versions.js';

/** What the app's own error handler saw, in order. */
export interface OrderApp {
  readonly app: (request: IncomingMessage, response: ServerResponse) => void;
  readonly errorsSeenByApp: unknown[];
  /** Resolves the next time a `/slow` handler starts. */
  slowStarted(): Promise<void>;
}

type Handler = (request: any, response: any, next: (error?: unknown) => void) => unknown;

/** The role check of the order routes: 401 without a role, 403 with the wrong one. */
const requireRole =
  (role: string): Handler =>
  (request, response, next) => {
    const given = request.headers['x-role'];
    if (given === undefined) response.status(401).json({ error: 'unauthenticated' });
    else if (given !== role) response.status(403).json({ error: 'forbidden' });
    else next();
  };

/**
 * Builds the app.
 *
 * @param version - Express 4 or 5
 * @param options - options of the middleware
 * @returns the app and what its error handler saw
 */
export function createOrderApp({ express }: ExpressVersion, options: ExpressMiddlewareOptions = {}): OrderApp {
  const errorsSeenByApp: unknown[] = [];
  let onSlow: (() => void) | undefined;
  const app = express();
  app.use(expressMiddleware(options));
  app.use(express.json());

  const fills = express.Router({ mergeParams: true });
  fills.get('/:fid', (request: { params: Record<string, string> }, response: { json(body: unknown): void }) => {
    response.json({ orderId: request.params.orderId, fid: request.params.fid });
  });
  fills.get('/:fid/fail', () => {
    throw new TypeError('fill ledger unavailable');
  });
  fills.get('/:fid/next-error', (_request, _response, next) => next(new RangeError('fill price out of band')));
  fills.get('/:fid/reject', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    throw new SyntaxError('fill message malformed');
  });

  const orders = express.Router();
  orders.post('/', requireRole('trader') as never, (request, response) => {
    response.status(201).json({ accepted: true, correlationId: currentContext()?.correlationId, body: request.body });
  });
  orders.get('/:orderId', async (request, response) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    // Work inside the request sees its context: an order step nested in the request.
    await orderExecution.run(
      { orderId: `o-${request.header('x-correlation-id')}`, symbol: 'AAPL' },
      async () => undefined,
    );
    response.json({ orderId: request.params.orderId });
  });
  orders.get('/:orderId/slow', (_request, response) => {
    onSlow?.();
    setTimeout(() => response.end('too late'), 300);
  });
  orders.use('/:orderId/fills', fills);
  app.use('/api/orders', orders);

  app.get(/^\/legacy\/orders\/(\d+)$/, (_request, response) => {
    response.send('legacy');
  });
  app.get(['/quotes/:symbol', '/prices/:symbol'], (_request, response) => {
    response.send('quote');
  });
  app.post('/echo', (request, response) => {
    response.json({ correlationId: currentContext()?.correlationId, body: request.body });
  });

  const reports = express();
  reports.use(expressMiddleware(options));
  reports.get('/daily/:day', (_request, response) => {
    response.send('report');
  });
  app.use('/tenants/:tenant/reports', reports);

  app.use(((error: unknown, _request: unknown, _response: unknown, next: (error: unknown) => void) => {
    errorsSeenByApp.push(error);
    next(error);
  }) as never);
  app.use(expressErrorHandler());
  return {
    app: app as never,
    errorsSeenByApp,
    slowStarted: () => new Promise<void>((resolve) => (onSlow = resolve)),
  };
}
