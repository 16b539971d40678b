import {
  acceptCorrelationId,
  brokerApiCall,
  newCorrelationId,
  httpServerRequest,
  marketDataProcessing,
  orderExecution,
  riskCheck,
  strategyExecution,
} from '@jts/core';
import type { TradingMetrics } from '@jts/metrics';

/** The label values the synthetic desk trades with. */
export const DESK = {
  strategies: ['mm-1', 'mm-2', 'stat-arb-1'],
  symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA'],
  exchanges: ['XNAS', 'XNYS'],
  brokers: ['ib', 'alpaca'],
  routes: ['/orders', '/orders/:id', '/positions'],
} as const;

/** Everything one round of traffic needs besides the metrics: a logger and an audit trail. */
export interface TrafficSinks {
  readonly metrics: TradingMetrics;
  readonly log: (level: 'info' | 'warn' | 'error', fields: object, message: string) => void;
  readonly audit: (orderId: string, symbol: string) => Promise<unknown>;
}

const pick = <T>(values: readonly T[], n: number): T => values[n % values.length]!;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One round of a small trading desk, through the `@jts/core` operations and the recorders, so
 * that every catalog metric a dashboard reads gets samples: orders (filled, rejected, failing),
 * strategy evaluations, risk checks (some refused, with violations), broker calls (some failing),
 * market data (some handling failures), HTTP requests (some 5xx), gauges, log lines, audit records
 * and correlation IDs (accepted, generated and rejected).
 *
 * @param round - round number, varies the labels and outcomes deterministically
 * @param sinks - metrics, logger and audit trail of the service
 */
export async function trafficRound(round: number, sinks: TrafficSinks): Promise<void> {
  const { metrics } = sinks;
  const work: Promise<unknown>[] = [];
  for (let i = 0; i < 12; i++) {
    const n = round * 12 + i;
    const strategyId = pick(DESK.strategies, n);
    const symbol = pick(DESK.symbols, n >> 1);
    const exchange = pick(DESK.exchanges, n >> 2);
    const orderId = `o-${n}`;
    const fields = {
      orderId,
      strategyId,
      symbol,
      exchange,
      side: n % 2 ? 'buy' : 'sell',
      orderType: n % 3 ? 'limit' : 'market',
    };
    strategyExecution.run({ strategyId }, () => n);
    const allowed = riskCheck.run(fields, (scope) => {
      if (n % 9 === 0) {
        scope.setOutcome('rejected', 'notional_limit');
        metrics.recordRiskViolation({ strategyId, violationType: 'notional_limit' });
        return false;
      }
      return true;
    });
    if (!allowed) continue;
    work.push(
      orderExecution
        .run(fields, async (scope) => {
          sinks.log('info', { quantity: 100 }, 'order sent');
          await brokerApiCall.run({ broker: pick(DESK.brokers, n) }, async (call) => {
            await pause(1 + (n % 4));
            if (n % 11 === 0) call.setOutcome('error', 'broker_timeout');
          });
          if (n % 7 === 0) throw Object.assign(new Error('venue closed'), { code: 'VENUE_CLOSED' });
          if (n % 5 === 0) scope.setOutcome('rejected', 'insufficient_margin');
          await sinks.audit(orderId, symbol);
        })
        .catch((error: Error) => sinks.log('error', { err: error }, 'order failed')),
    );
    marketDataProcessing.run({ symbol, exchange }, (scope) => {
      metrics.recordMarketDataUpdate({ symbol, exchange }, 0.0004 + (n % 13) / 10_000);
      if (n % 17 === 0) scope.setOutcome('error', 'stale_quote');
    });
    const route = pick(DESK.routes, n);
    httpServerRequest.run(
      { method: n % 4 ? 'GET' : 'POST', route, statusCode: n % 19 === 0 ? 503 : 200 },
      () => undefined,
    );
  }
  for (const [index, strategyId] of DESK.strategies.entries()) {
    metrics.setStrategyPnl({ strategyId }, 1_000 * (index + 1) + round);
    metrics.setStrategyDrawdown({ strategyId }, 2 + index);
    metrics.setStrategyWinRate({ strategyId }, 0.5 + index / 10);
    for (const symbol of DESK.symbols) metrics.setPortfolioExposure({ strategyId, symbol }, 10_000 * (index + 1));
  }
  metrics.setDatabasePool({ pool: 'orders' }, { active: 3 + (round % 5), max: 20 });
  acceptCorrelationId(`corr-${round}`);
  newCorrelationId();
  acceptCorrelationId('bad id with spaces');
  sinks.log('warn', { round }, 'round done');
  await Promise.all(work);
}
