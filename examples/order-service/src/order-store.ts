/** An order as `GET /orders/:orderId` shows it. */
export interface OrderRecord {
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly orderType: 'market' | 'limit';
  readonly quantity: number;
  readonly price: number;
  /** `filled`, `partially_filled`, `rejected` (risk or exchange) or `failed` (the exchange did not take it). */
  readonly status: 'filled' | 'partially_filled' | 'rejected' | 'failed';
  readonly filledQuantity: number;
  readonly averagePrice?: number;
  readonly reason?: string;
  readonly exchangeOrderId?: string;
  readonly correlationId: string | undefined;
  readonly updatedAt: string;
}

/**
 * The last `capacity` orders in memory (a real service keeps them in its database): a Map keeps
 * insertion order, so the oldest is the first key.
 *
 * @param capacity - orders kept
 * @returns `save` and `get`
 */
export function createOrderStore(capacity: number) {
  const orders = new Map<string, OrderRecord>();
  return {
    save(order: OrderRecord): void {
      orders.delete(order.orderId);
      orders.set(order.orderId, order);
      if (orders.size > capacity) orders.delete(orders.keys().next().value!);
    },
    get: (orderId: string): OrderRecord | undefined => orders.get(orderId),
  };
}

/** The orders kept in memory. */
export type OrderStore = ReturnType<typeof createOrderStore>;
