import { Router } from 'express';
import { parseOrderRequest } from './order-request.js';
import { type OrderWorkflow, submitOrder } from './submit-order.js';

const STATUS_CODES = { filled: 201, partially_filled: 201, rejected: 422, failed: 502 } as const;

/**
 * `POST /orders` (validate, risk check, exchange, audit) and `GET /orders/:orderId`. The route
 * templates (`/orders/:orderId`) are what `@jts/express` puts on the metrics, never a real ID.
 *
 * @param workflow - what an order needs
 * @returns the router, to mount at `/orders`
 */
export function ordersRouter(workflow: OrderWorkflow): Router {
  const router = Router();
  router.post('/', async (request, response) => {
    const parsed = parseOrderRequest(request.body);
    if ('problems' in parsed) {
      workflow.telemetry.logger.warn({ problems: parsed.problems }, 'order request refused');
      response.status(400).json({ error: 'invalid_order', problems: parsed.problems });
      return;
    }
    const order = await submitOrder(workflow, parsed.order);
    response.status(STATUS_CODES[order.status]).json(order);
  });
  router.get('/:orderId', (request, response) => {
    const order = workflow.store.get(request.params.orderId);
    if (order) response.json(order);
    else response.status(404).json({ error: 'unknown_order' });
  });
  return router;
}
