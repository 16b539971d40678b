/** Injection token of the {@link StrategyEngineConfig}. */
export const ENGINE_CONFIG = Symbol('ENGINE_CONFIG');

/** How a strategy reads prices. */
export type StrategyKind = 'momentum' | 'mean_reversion';

/** One strategy: an ID, a kind and the symbol it trades. */
export interface StrategyDefinition {
  readonly id: string;
  readonly kind: StrategyKind;
  readonly symbol: string;
}

/** The strategy engine's configuration, read from environment variables (see README.md). */
export interface StrategyEngineConfig {
  readonly serviceName: string;
  readonly host: string;
  readonly port: number;
  readonly marketDataUrl: string;
  readonly orderServiceUrl: string;
  /** Every strategy is evaluated once per interval. */
  readonly intervalMs: number;
  readonly strategies: readonly StrategyDefinition[];
  /** Largest quantity of one order. */
  readonly maxQuantity: number;
  /** Share of orders sent far too large, so that the order service's risk check refuses them. */
  readonly oversizedOrderRate: number;
  /** Deadline of one call to another service. */
  readonly requestTimeoutMs: number;
  /** Capital each strategy starts with (drawdown is measured against its peak equity). */
  readonly capital: number;
}

const DEFAULT_STRATEGIES = 'momentum-aapl:momentum:AAPL,momentum-msft:momentum:MSFT,reversion-nvda:mean_reversion:NVDA';

function parseStrategies(text: string): StrategyDefinition[] {
  return text.split(',').map((entry) => {
    const [id, kind, symbol] = entry.trim().split(':');
    if (
      !id ||
      !/^[a-z0-9_-]{1,64}$/.test(id) ||
      (kind !== 'momentum' && kind !== 'mean_reversion') ||
      !symbol ||
      !/^[A-Z0-9.]{1,12}$/.test(symbol)
    ) {
      throw new Error(`STRATEGIES: "${entry}" is not id:momentum|mean_reversion:SYMBOL`);
    }
    return { id, kind, symbol };
  });
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new Error(`${name}=${text}: expected a number from ${min} to ${max}`);
  return value;
}

function url(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!/^https?:\/\//.test(value)) throw new Error(`${name}=${value}: expected an http(s) URL`);
  return value.replace(/\/$/, '');
}

/**
 * Reads the configuration; a bad value fails the start with a message naming its variable.
 *
 * @param env - the environment (default `process.env`)
 * @returns the configuration
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): StrategyEngineConfig {
  return {
    serviceName: env.OTEL_SERVICE_NAME || 'strategy-engine',
    host: env.HOST || '127.0.0.1',
    port: number(env, 'PORT', 3001, 0, 65_535),
    marketDataUrl: url(env, 'MARKET_DATA_URL', 'http://127.0.0.1:3002'),
    orderServiceUrl: url(env, 'ORDER_SERVICE_URL', 'http://127.0.0.1:3000'),
    intervalMs: number(env, 'STRATEGY_INTERVAL_MS', 250, 10, 3_600_000),
    strategies: parseStrategies(env.STRATEGIES || DEFAULT_STRATEGIES),
    maxQuantity: number(env, 'STRATEGY_MAX_QUANTITY', 100, 1, 1_000_000),
    oversizedOrderRate: number(env, 'STRATEGY_OVERSIZED_ORDER_RATE', 0.03, 0, 1),
    requestTimeoutMs: number(env, 'STRATEGY_REQUEST_TIMEOUT_MS', 2000, 1, 60_000),
    capital: number(env, 'STRATEGY_CAPITAL', 1_000_000, 1, 1e12),
  };
}
