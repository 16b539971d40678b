import type { OrderRequest } from './order-request.js';

/** The answer of the pre-trade risk check. */
export interface RiskDecision {
  readonly approved: boolean;
  /** Why not: `max_order_notional` or `max_position`. */
  readonly violation?: 'max_order_notional' | 'max_position';
  readonly notional: number;
  /** Position (shares) of the strategy in the symbol if the order filled completely. */
  readonly positionAfter: number;
}

/**
 * Pre-trade limits: the notional of one order and the position per strategy and symbol. Positions
 * move with the fills reported through `applyFill`.
 *
 * @param limits - `maxOrderNotional` and `maxPosition`
 * @returns `check`, `applyFill` and `exposure`
 */
export function createRiskLimits(limits: { readonly maxOrderNotional: number; readonly maxPosition: number }) {
  const positions = new Map<string, number>();
  const key = (order: Pick<OrderRequest, 'strategyId' | 'symbol'>) => `${order.strategyId}\u0000${order.symbol}`;
  return {
    check(order: OrderRequest): RiskDecision {
      const notional = order.quantity * order.price;
      const positionAfter =
        (positions.get(key(order)) ?? 0) + (order.side === 'buy' ? order.quantity : -order.quantity);
      if (notional > limits.maxOrderNotional)
        return { approved: false, violation: 'max_order_notional', notional, positionAfter };
      if (Math.abs(positionAfter) > limits.maxPosition)
        return { approved: false, violation: 'max_position', notional, positionAfter };
      return { approved: true, notional, positionAfter };
    },
    /** Moves the position by a fill; returns the new position (shares). */
    applyFill(order: OrderRequest, filledQuantity: number): number {
      const position = (positions.get(key(order)) ?? 0) + (order.side === 'buy' ? filledQuantity : -filledQuantity);
      positions.set(key(order), position);
      return position;
    },
  };
}

/** The service's risk limits and positions. */
export type RiskLimits = ReturnType<typeof createRiskLimits>;
