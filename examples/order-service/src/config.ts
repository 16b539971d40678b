/** The order service's configuration, read from environment variables (see README.md). */
export interface OrderServiceConfig {
  readonly serviceName: string;
  readonly host: string;
  readonly port: number;
  /** Base URL of the exchange's order API (`POST <url>/v1/orders`). */
  readonly exchangeUrl: string;
  /** Market identifier code of that exchange (the `exchange` label and field). */
  readonly exchange: string;
  /** Name of the broker connection (`broker_api_call_duration_seconds{broker}`). */
  readonly broker: string;
  /** Deadline of one exchange call. */
  readonly exchangeTimeoutMs: number;
  /** Largest notional (quantity x price) of one order. */
  readonly maxOrderNotional: number;
  /** Largest absolute position per strategy and symbol, in shares. */
  readonly maxPosition: number;
  /** Orders kept for `GET /orders/:orderId` (oldest forgotten first). */
  readonly orderHistory: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${text}: expected a positive number`);
  return value;
}

/**
 * Reads the configuration; a bad value fails the start with a message naming its variable. The
 * audit trail reads `JTS_AUDIT_DIR` and `JTS_AUDIT_SIGNING_KEY_FILE` itself.
 *
 * @param env - the environment (default `process.env`)
 * @returns the configuration
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): OrderServiceConfig {
  const exchangeUrl = env.EXCHANGE_URL || 'http://127.0.0.1:3003';
  if (!/^https?:\/\//.test(exchangeUrl)) throw new Error(`EXCHANGE_URL=${exchangeUrl}: expected an http(s) URL`);
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT=${env.PORT}: expected a port number`);
  return {
    serviceName: env.OTEL_SERVICE_NAME || 'order-service',
    host: env.HOST || '127.0.0.1',
    port,
    exchangeUrl: exchangeUrl.replace(/\/$/, ''),
    exchange: env.EXCHANGE_MIC || 'XNAS',
    broker: env.BROKER_NAME || 'sim-exchange',
    exchangeTimeoutMs: positive(env, 'EXCHANGE_TIMEOUT_MS', 2000),
    maxOrderNotional: positive(env, 'RISK_MAX_ORDER_NOTIONAL', 250_000),
    maxPosition: positive(env, 'RISK_MAX_POSITION', 5000),
    orderHistory: positive(env, 'ORDER_HISTORY', 10_000),
  };
}
