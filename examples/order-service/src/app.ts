import { expressErrorHandler, expressMiddleware, metricsRoute } from '@jts/express';
import express, { type Express } from 'express';
import { ordersRouter } from './orders-router.js';
import type { OrderWorkflow } from './submit-order.js';

/**
 * The Express application: the JTS middleware first (correlation ID, trace, timer cover
 * everything after it), `/metrics` and `/healthz` (excluded from the signals by default), the
 * body parser, the routes, and the JTS error handler last.
 *
 * @param workflow - what an order needs
 * @returns the application
 */
export function createApp(workflow: OrderWorkflow): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(expressMiddleware());
  app.use(metricsRoute(workflow.telemetry.scrape));
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok', audit: { pending: workflow.telemetry.audit.stats().pending } });
  });
  app.use(express.json({ limit: '16kb' }));
  app.use('/orders', ordersRouter(workflow));
  app.use(expressErrorHandler());
  return app;
}
