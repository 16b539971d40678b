import { JtsError } from '@jts/core';
import type { DomainRecord } from './audit-record-input.js';

/** The order lifecycle events the trail records. */
export const ORDER_EVENT_KINDS = ['submitted', 'acknowledged', 'filled', 'cancelled', 'rejected'] as const;

/** One order lifecycle event kind. */
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number];

/** An order lifecycle event. */
export interface OrderEvent {
  readonly kind: OrderEventKind;
  readonly orderId: string;
  readonly symbol: string;
  readonly side?: 'buy' | 'sell';
  readonly orderType?: string;
  readonly quantity?: number;
  readonly price?: number;
  /** Filled quantity and average price (fills). */
  readonly filledQuantity?: number;
  readonly averagePrice?: number;
  /** Why (rejections, cancellations). */
  readonly reason?: string;
  readonly strategyId?: string;
  readonly exchange?: string;
  readonly broker?: string;
  readonly accountId?: string;
  readonly user?: string;
}

/**
 * Maps an order event to an `order.<kind>` record.
 *
 * @param event - the event
 * @returns the audit input and its event descriptor
 * @throws JtsError `JTS_ERR_INVALID_ARGUMENT` for an unknown kind or a missing orderId / symbol
 * @example
 * const { input } = orderEventRecord({ kind: 'rejected', orderId: 'o-1', symbol: 'AAPL', reason: 'insufficient_margin' });
 * input.type; // 'order.rejected'
 */
export function orderEventRecord(event: OrderEvent): DomainRecord {
  if (!ORDER_EVENT_KINDS.includes(event?.kind))
    throw new JtsError(
      'JTS_ERR_INVALID_ARGUMENT',
      `recordOrderEvent: kind must be one of ${ORDER_EVENT_KINDS.join(', ')}`,
    );
  if (
    typeof event.orderId !== 'string' ||
    event.orderId === '' ||
    typeof event.symbol !== 'string' ||
    event.symbol === ''
  ) {
    throw new JtsError('JTS_ERR_INVALID_ARGUMENT', 'recordOrderEvent: orderId and symbol must be non-empty strings');
  }
  const failed = event.kind === 'rejected';
  return {
    input: {
      type: `order.${event.kind}`,
      actor: event.user,
      trading: {
        orderId: event.orderId,
        symbol: event.symbol,
        side: event.side,
        orderType: event.orderType,
        strategyId: event.strategyId,
        exchange: event.exchange,
        broker: event.broker,
        accountId: event.accountId,
        userId: event.user,
        orderStatus: event.kind,
      },
      payload: {
        order_id: event.orderId,
        symbol: event.symbol,
        side: event.side,
        order_type: event.orderType,
        quantity: event.quantity,
        price: event.price,
        filled_quantity: event.filledQuantity,
        average_price: event.averagePrice,
        reason: event.reason,
        account_id: event.accountId,
      },
    },
    event: {
      category: 'order',
      action: `order-${event.kind}`,
      outcome: failed ? 'failure' : 'success',
      level: failed ? 'warn' : 'info',
      message: `Order ${event.orderId} ${event.kind}${event.reason ? `: ${event.reason}` : ''}`,
    },
  };
}
