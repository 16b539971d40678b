/**
 * Trading semantic conventions: the one set of names under which trading fields appear in log
 * lines, span attributes, audit records (`trading.*`) and metric labels (snake_case).
 */

/** Trading fields carried by the context and by operations, in their camelCase API form. */
export interface TradingFields {
  /** Client or exchange order identifier (logs, spans, audit; never a metric label). */
  orderId?: string;
  /** Strategy identifier. */
  strategyId?: string;
  /** Instrument symbol, e.g. `BTC-USD`, `AAPL`. */
  symbol?: string;
  /** Exchange or venue, e.g. `XNAS`, `binance`. */
  exchange?: string;
  /** Order side: `buy` or `sell`. */
  side?: string;
  /** Order type: `market`, `limit`, `stop`, ... */
  orderType?: string;
  /** Broker the order or API call goes to. */
  broker?: string;
  /** Trading account (masked to its last 4 characters by the redaction policy where it is a value). */
  accountId?: string;
  /** Acting user or service principal (never a metric label). */
  userId?: string;
  /** Outcome status of an order or operation, e.g. `filled`, `rejected`. */
  orderStatus?: string;
}

/** Name of a trading field in its camelCase API form. */
export type TradingFieldName = keyof TradingFields;

/** One convention: API field, attribute key, metric label name and whether it may be a label. */
export interface TradingConvention {
  readonly field: TradingFieldName;
  /** Key in logs, spans and audit records (`trading.order_id`). */
  readonly attribute: string;
  /** Metric label name (`order_id`). */
  readonly label: string;
  /** False for unbounded identifiers (orders, users, accounts) that would explode cardinality. */
  readonly metricLabel: boolean;
}

/** Every trading convention, defined once. */
export const TRADING_CONVENTIONS: readonly TradingConvention[] = Object.freeze([
  { field: 'orderId', attribute: 'trading.order_id', label: 'order_id', metricLabel: false },
  { field: 'strategyId', attribute: 'trading.strategy_id', label: 'strategy_id', metricLabel: true },
  { field: 'symbol', attribute: 'trading.symbol', label: 'symbol', metricLabel: true },
  { field: 'exchange', attribute: 'trading.exchange', label: 'exchange', metricLabel: true },
  { field: 'side', attribute: 'trading.side', label: 'side', metricLabel: true },
  { field: 'orderType', attribute: 'trading.order_type', label: 'order_type', metricLabel: true },
  { field: 'broker', attribute: 'trading.broker', label: 'broker', metricLabel: true },
  { field: 'accountId', attribute: 'trading.account_id', label: 'account_id', metricLabel: false },
  { field: 'userId', attribute: 'trading.user_id', label: 'user_id', metricLabel: false },
  { field: 'orderStatus', attribute: 'trading.order_status', label: 'status', metricLabel: true },
] as const satisfies readonly TradingConvention[]);

/** Attribute keys by field, e.g. `TradingAttributes.ORDER_ID === 'trading.order_id'`. */
export const TradingAttributes = Object.freeze({
  ORDER_ID: 'trading.order_id',
  STRATEGY_ID: 'trading.strategy_id',
  SYMBOL: 'trading.symbol',
  EXCHANGE: 'trading.exchange',
  SIDE: 'trading.side',
  ORDER_TYPE: 'trading.order_type',
  BROKER: 'trading.broker',
  ACCOUNT_ID: 'trading.account_id',
  USER_ID: 'trading.user_id',
  ORDER_STATUS: 'trading.order_status',
} as const);

/** Metric label names by field; only the bounded ones are allowed as labels. */
export const TradingMetricLabels = Object.freeze({
  STRATEGY_ID: 'strategy_id',
  SYMBOL: 'symbol',
  EXCHANGE: 'exchange',
  SIDE: 'side',
  ORDER_TYPE: 'order_type',
  BROKER: 'broker',
  STATUS: 'status',
} as const);

/** Correlation ID key in log lines and audit records, and as a span attribute. */
export const CORRELATION_ID_ATTRIBUTE = 'correlation_id';

const byField = new Map(TRADING_CONVENTIONS.map((convention) => [convention.field, convention]));

/**
 * Looks up the convention of one field.
 *
 * @param field - camelCase field name
 * @returns its convention, or undefined for an unknown name
 */
export function tradingConvention(field: string): TradingConvention | undefined {
  return byField.get(field as TradingFieldName);
}

/**
 * Converts trading fields to `trading.*` attributes, skipping unset and non-string values.
 *
 * @param fields - camelCase trading fields
 * @returns a new object keyed by attribute names
 * @example
 * toTradingAttributes({ symbol: 'AAPL' }); // { 'trading.symbol': 'AAPL' }
 */
export function toTradingAttributes(fields: Readonly<TradingFields>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const convention of TRADING_CONVENTIONS) {
    const value = fields[convention.field];
    if (typeof value === 'string' && value !== '') attributes[convention.attribute] = value;
  }
  return attributes;
}

/**
 * Picks the fields that are allowed as metric labels, keyed by their label names.
 *
 * @param fields - camelCase trading fields
 * @returns label name to value, only for bounded fields that are set
 */
export function toTradingMetricLabels(fields: Readonly<TradingFields>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const convention of TRADING_CONVENTIONS) {
    if (!convention.metricLabel) continue;
    const value = fields[convention.field];
    if (typeof value === 'string' && value !== '') labels[convention.label] = value;
  }
  return labels;
}
