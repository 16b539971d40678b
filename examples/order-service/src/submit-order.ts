import { randomUUID } from 'node:crypto';
import { correlationId, orderExecution, riskCheck, withFields } from '@jts/core';
import type { OrderServiceConfig } from './config.js';
import { type ExchangeClient, ExchangeUnavailableError } from './exchange-client.js';
import type { OrderRequest } from './order-request.js';
import type { OrderRecord, OrderStore } from './order-store.js';
import type { RiskLimits } from './risk-limits.js';
import type { Telemetry } from './telemetry.js';

/** What `submitOrder` needs. */
export interface OrderWorkflow {
  readonly config: OrderServiceConfig;
  readonly telemetry: Telemetry;
  readonly risk: RiskLimits;
  readonly exchange: ExchangeClient;
  readonly store: OrderStore;
}

/**
 * One order, every step an operation and every decision and order event an audit record:
 * `risk.check` (audited as `risk.decision`), then `order.execution` around the exchange call
 * (`broker.api_call`), audited as `order.submitted` and `order.filled` / `order.rejected`.
 * The trading fields set here are on every log line, span and audit record of the order.
 *
 * @param workflow - configuration, signals, risk limits, exchange client, store
 * @param order - the validated request
 * @returns the order's final record
 */
export function submitOrder(workflow: OrderWorkflow, order: OrderRequest): Promise<OrderRecord> {
  const { config, telemetry, risk, exchange, store } = workflow;
  const { audit, logger, metrics } = telemetry;
  const orderId = `ord-${randomUUID()}`;
  const fields = {
    orderId,
    strategyId: order.strategyId,
    symbol: order.symbol,
    side: order.side,
    orderType: order.orderType,
    exchange: config.exchange,
    broker: config.broker,
    accountId: order.accountId,
  };
  const event = {
    orderId,
    symbol: order.symbol,
    side: order.side,
    orderType: order.orderType,
    quantity: order.quantity,
    price: order.price,
    strategyId: order.strategyId,
    exchange: config.exchange,
    broker: config.broker,
    accountId: order.accountId,
  };
  const finish = (
    result: Omit<
      OrderRecord,
      | 'orderId'
      | 'clientOrderId'
      | 'strategyId'
      | 'symbol'
      | 'side'
      | 'orderType'
      | 'quantity'
      | 'price'
      | 'correlationId'
      | 'updatedAt'
    >,
  ) => {
    const record: OrderRecord = {
      orderId,
      clientOrderId: order.clientOrderId,
      strategyId: order.strategyId,
      symbol: order.symbol,
      side: order.side,
      orderType: order.orderType,
      quantity: order.quantity,
      price: order.price,
      correlationId: correlationId(),
      updatedAt: new Date().toISOString(),
      ...result,
    };
    store.save(record);
    return record;
  };

  return withFields(fields, async () => {
    logger.info(
      { quantity: order.quantity, price: order.price, client_order_id: order.clientOrderId },
      'order received',
    );
    const decision = riskCheck.run(fields, (scope) => {
      const checked = risk.check(order);
      if (!checked.approved) {
        scope.setOutcome('rejected', checked.violation);
        metrics.recordRiskViolation({ strategyId: order.strategyId, violationType: checked.violation });
      }
      return checked;
    });
    await audit.record({
      type: 'risk.decision',
      payload: {
        approved: decision.approved,
        violation: decision.violation,
        notional: decision.notional,
        position_after: decision.positionAfter,
        limits: { max_order_notional: config.maxOrderNotional, max_position: config.maxPosition },
      },
    });
    if (!decision.approved) {
      await audit.recordOrderEvent({ ...event, kind: 'rejected', reason: `risk:${decision.violation}` });
      return finish({ status: 'rejected', filledQuantity: 0, reason: `risk:${decision.violation}` });
    }

    try {
      return await orderExecution.run(fields, async (scope) => {
        // Recorded before the order leaves: the trail shows what was sent even if the answer is lost.
        await audit.recordOrderEvent({ ...event, kind: 'submitted' });
        const answer = await exchange.submit(orderId, order);
        if (answer.status === 'rejected') {
          scope.setOutcome('rejected', answer.reason);
          await audit.recordOrderEvent({ ...event, kind: 'rejected', reason: answer.reason });
          return finish({
            status: 'rejected',
            filledQuantity: 0,
            reason: answer.reason,
            exchangeOrderId: answer.exchangeOrderId,
          });
        }
        // A partial fill is a business outcome: order_execution_total{status="partially_filled"}, a warn line.
        if (answer.status === 'partially_filled') scope.setOutcome('partially_filled');
        const position = risk.applyFill(order, answer.filledQuantity);
        metrics.setPortfolioExposure(
          { strategyId: order.strategyId, symbol: order.symbol },
          Math.abs(position) * answer.averagePrice,
        );
        await audit.recordOrderEvent({
          ...event,
          kind: 'filled',
          filledQuantity: answer.filledQuantity,
          averagePrice: answer.averagePrice,
        });
        return finish({
          status: answer.status,
          filledQuantity: answer.filledQuantity,
          averagePrice: answer.averagePrice,
          exchangeOrderId: answer.exchangeOrderId,
        });
      });
    } catch (error) {
      if (!(error instanceof ExchangeUnavailableError)) throw error;
      // The order.execution run already ended with outcome error and error_type from the code.
      await audit.recordOrderEvent({ ...event, kind: 'rejected', reason: error.code });
      return finish({ status: 'failed', filledQuantity: 0, reason: error.code });
    }
  });
}
