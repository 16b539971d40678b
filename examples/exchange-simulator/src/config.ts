/** What the simulated exchange does, read from environment variables (see README.md). */
export interface ExchangeConfig {
  readonly serviceName: string;
  readonly host: string;
  readonly port: number;
  /** Shortest and longest time to answer an order, in ms (uniformly drawn). */
  readonly latencyMs: readonly [number, number];
  /** Share of orders rejected (insufficient margin, price band, halted symbol). */
  readonly rejectRate: number;
  /** Share of accepted orders filled only in part. */
  readonly partialFillRate: number;
  /** Share of orders answered with 503 (the exchange is busy): the caller's errors. */
  readonly errorRate: number;
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new Error(`${name}=${text}: expected a number from ${min} to ${max}`);
  return value;
}

function range(env: NodeJS.ProcessEnv, name: string, fallback: readonly [number, number]): readonly [number, number] {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) throw new Error(`${name}=${text}: expected milliseconds, "5" or a range "2-15"`);
  const low = Number(match[1]);
  const high = Number(match[2] ?? match[1]);
  if (high < low) throw new Error(`${name}=${text}: the range must go up`);
  return [low, high];
}

/**
 * Reads the configuration; a bad value fails the start with a message naming its variable.
 *
 * @param env - the environment (default `process.env`)
 * @returns the configuration
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ExchangeConfig {
  return {
    serviceName: env.OTEL_SERVICE_NAME || 'exchange-simulator',
    host: env.HOST || '127.0.0.1',
    port: number(env, 'PORT', 3003, 0, 65_535),
    latencyMs: range(env, 'EXCHANGE_LATENCY_MS', [2, 12]),
    rejectRate: number(env, 'EXCHANGE_REJECT_RATE', 0.08, 0, 1),
    partialFillRate: number(env, 'EXCHANGE_PARTIAL_FILL_RATE', 0.15, 0, 1),
    errorRate: number(env, 'EXCHANGE_ERROR_RATE', 0.02, 0, 1),
  };
}
