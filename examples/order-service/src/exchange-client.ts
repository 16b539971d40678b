import { traceBrokerApiCall } from '@jts/trace';
import type { OrderServiceConfig } from './config.js';
import type { OrderRequest } from './order-request.js';

/** What the exchange answered for an order. */
export type ExchangeAnswer =
  | {
      readonly status: 'filled' | 'partially_filled';
      readonly exchangeOrderId: string;
      readonly filledQuantity: number;
      readonly averagePrice: number;
    }
  | { readonly status: 'rejected'; readonly exchangeOrderId: string; readonly reason: string };

/** The exchange did not take the order (busy, down, too slow): an error, not a business outcome. */
export class ExchangeUnavailableError extends Error {
  override readonly name = 'ExchangeUnavailableError';
  constructor(
    message: string,
    /** `exchange_busy`, `exchange_timeout`, `http_<status>` or the connection error's code. */
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * Sends orders to the exchange. Each call is a `broker.api_call` run through `traceBrokerApiCall`
 * of `@jts/trace`: a CLIENT span whose `traceparent` and the correlation ID go out in the
 * headers it hands to `fetch`, and a sample of `broker_api_call_duration_seconds{broker,status}`.
 *
 * @param config - exchange URL, broker name, timeout
 * @returns `submit(orderId, order)`
 */
export function createExchangeClient(config: OrderServiceConfig) {
  const url = `${config.exchangeUrl}/v1/orders`;
  return {
    submit(orderId: string, order: OrderRequest): Promise<ExchangeAnswer> {
      return traceBrokerApiCall(
        { broker: config.broker, method: 'POST', url, endpoint: 'orders.create' },
        async (headers, scope) => {
          let response: Response;
          try {
            response = await fetch(url, {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify({
                clientOrderId: orderId,
                symbol: order.symbol,
                side: order.side,
                orderType: order.orderType,
                quantity: order.quantity,
                price: order.price,
              }),
              signal: AbortSignal.timeout(config.exchangeTimeoutMs),
            });
          } catch (error) {
            const timedOut = (error as Error).name === 'TimeoutError';
            const code = timedOut
              ? 'exchange_timeout'
              : ((error as { cause?: { code?: string } }).cause?.code ?? 'exchange_unreachable');
            throw new ExchangeUnavailableError(`the exchange did not answer: ${(error as Error).message}`, code);
          }
          scope.setAttributes({ statusCode: response.status });
          if (!response.ok) {
            await response.body?.cancel();
            throw new ExchangeUnavailableError(
              `the exchange answered ${response.status}`,
              response.status === 503 ? 'exchange_busy' : `http_${response.status}`,
            );
          }
          const answer = (await response.json()) as ExchangeAnswer;
          if (answer.status === 'rejected') scope.setOutcome('rejected', answer.reason);
          return answer;
        },
      );
    },
  };
}

/** The client of the exchange. */
export type ExchangeClient = ReturnType<typeof createExchangeClient>;
