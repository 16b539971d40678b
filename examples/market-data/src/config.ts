/** One simulated instrument of the feed. */
export interface FeedSymbol {
  readonly symbol: string;
  /** Updates per second. */
  readonly rate: number;
  /** Price the random walk starts from. */
  readonly startPrice: number;
}

/** The market-data service's configuration, read from environment variables (see README.md). */
export interface MarketDataConfig {
  readonly serviceName: string;
  readonly host: string;
  readonly port: number;
  /** Market identifier code the feed is from (the `exchange` label). */
  readonly exchange: string;
  readonly symbols: readonly FeedSymbol[];
  /** Shortest and longest delay from the exchange timestamp to receipt, in ms. */
  readonly feedLatencyMs: readonly [number, number];
}

const DEFAULT_SYMBOLS = 'AAPL:20:190,MSFT:10:420,NVDA:40:120,TSLA:15:250';

function parseSymbols(text: string): FeedSymbol[] {
  return text.split(',').map((entry) => {
    const [symbol, rate, price] = entry.trim().split(':');
    const parsed = { symbol: symbol ?? '', rate: Number(rate ?? 10), startPrice: Number(price ?? 100) };
    if (
      !/^[A-Z0-9.]{1,12}$/.test(parsed.symbol) ||
      !(parsed.rate > 0 && parsed.rate <= 1000) ||
      !(parsed.startPrice > 0)
    ) {
      throw new Error(`MARKET_DATA_SYMBOLS: "${entry}" is not SYMBOL[:updates per second (0-1000)[:start price]]`);
    }
    return parsed;
  });
}

/**
 * Reads the configuration; a bad value fails the start with a message naming its variable.
 *
 * @param env - the environment (default `process.env`)
 * @returns the configuration
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): MarketDataConfig {
  const port = Number(env.PORT || 3002);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT=${env.PORT}: expected a port number`);
  const latency = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(env.MARKET_DATA_FEED_LATENCY_MS || '0.2-4');
  if (!latency || Number(latency[2]) < Number(latency[1]))
    throw new Error(`MARKET_DATA_FEED_LATENCY_MS=${env.MARKET_DATA_FEED_LATENCY_MS}: expected a range in ms, "0.2-4"`);
  return {
    serviceName: env.OTEL_SERVICE_NAME || 'market-data',
    host: env.HOST || '127.0.0.1',
    port,
    exchange: env.MARKET_DATA_EXCHANGE || 'XNAS',
    symbols: parseSymbols(env.MARKET_DATA_SYMBOLS || DEFAULT_SYMBOLS),
    feedLatencyMs: [Number(latency[1]), Number(latency[2])],
  };
}
