import { TradingAttributes as A, type TradingFields } from '../conventions.js';

/** A usable field value as a string, or undefined: empty strings and objects are ignored. */
function fieldValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * Merges a scope's own trading fields over its parent's, into the camelCase fields and their
 * `trading.*` attributes; `undefined` when the scope has no usable trading field of its own (most
 * operation scopes carry other attributes only, an HTTP request's method, URL and headers: they
 * share their parent's objects instead of three new ones). Each own field is read once. Written
 * out field by field on purpose: V8 optimises static property access, while a loop over
 * TRADING_CONVENTIONS with computed keys costs ~20x more (measured: 569 ns against 25 ns per
 * context). A unit test keeps this list equal to TRADING_CONVENTIONS.
 */
export function mergeTradingFields(
  own: Readonly<Record<string, unknown>>,
  parent: Readonly<TradingFields> | undefined,
): { fields: TradingFields; attributes: Record<string, string> } | undefined {
  const orderId = fieldValue(own.orderId);
  const strategyId = fieldValue(own.strategyId);
  const symbol = fieldValue(own.symbol);
  const exchange = fieldValue(own.exchange);
  const side = fieldValue(own.side);
  const orderType = fieldValue(own.orderType);
  const broker = fieldValue(own.broker);
  const accountId = fieldValue(own.accountId);
  const userId = fieldValue(own.userId);
  const orderStatus = fieldValue(own.orderStatus);
  if (
    orderId === undefined &&
    strategyId === undefined &&
    symbol === undefined &&
    exchange === undefined &&
    side === undefined &&
    orderType === undefined &&
    broker === undefined &&
    accountId === undefined &&
    userId === undefined &&
    orderStatus === undefined
  )
    return undefined;
  const fields: TradingFields = {};
  const attributes: Record<string, string> = {};
  let v: string | undefined;
  v = orderId ?? parent?.orderId;
  if (v !== undefined) {
    fields.orderId = v;
    attributes[A.ORDER_ID] = v;
  }
  v = strategyId ?? parent?.strategyId;
  if (v !== undefined) {
    fields.strategyId = v;
    attributes[A.STRATEGY_ID] = v;
  }
  v = symbol ?? parent?.symbol;
  if (v !== undefined) {
    fields.symbol = v;
    attributes[A.SYMBOL] = v;
  }
  v = exchange ?? parent?.exchange;
  if (v !== undefined) {
    fields.exchange = v;
    attributes[A.EXCHANGE] = v;
  }
  v = side ?? parent?.side;
  if (v !== undefined) {
    fields.side = v;
    attributes[A.SIDE] = v;
  }
  v = orderType ?? parent?.orderType;
  if (v !== undefined) {
    fields.orderType = v;
    attributes[A.ORDER_TYPE] = v;
  }
  v = broker ?? parent?.broker;
  if (v !== undefined) {
    fields.broker = v;
    attributes[A.BROKER] = v;
  }
  v = accountId ?? parent?.accountId;
  if (v !== undefined) {
    fields.accountId = v;
    attributes[A.ACCOUNT_ID] = v;
  }
  v = userId ?? parent?.userId;
  if (v !== undefined) {
    fields.userId = v;
    attributes[A.USER_ID] = v;
  }
  v = orderStatus ?? parent?.orderStatus;
  if (v !== undefined) {
    fields.orderStatus = v;
    attributes[A.ORDER_STATUS] = v;
  }
  return { fields, attributes };
}
