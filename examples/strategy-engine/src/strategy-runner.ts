import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
// biome-ignore lint/style/useImportType: Nest injects by the constructor's parameter types, which decorator metadata keeps as values.
import { SchedulerRegistry } from '@nestjs/schedule';
import type { AuditTrail } from '@jts/compliance';
import type { JtsLogger } from '@jts/log';
import { JTS_LOGGER, JobContext, TraceStrategy } from '@jts/nestjs';
import { AUDIT_TRAIL } from './audit-trail.js';
import { ENGINE_CONFIG, type StrategyDefinition, type StrategyEngineConfig } from './config.js';
// biome-ignore lint/style/useImportType: Nest injects by the constructor's parameter types, which decorator metadata keeps as values.
import { Portfolio } from './portfolio.js';
// biome-ignore lint/style/useImportType: Nest injects by the constructor's parameter types, which decorator metadata keeps as values.
import { ServiceClients } from './service-clients.js';
import { decide } from './signals.js';

/**
 * Runs every strategy once per `STRATEGY_INTERVAL_MS`: read the quote, decide, audit the decision
 * with its reasoning, send the order, book the fill. Each evaluation has a correlation ID of its
 * own (`@JobContext()`) and is one `strategy.execution` run (`@TraceStrategy`): the quote request,
 * the order and everything the other services do for it share that ID and that trace.
 */
@Injectable()
export class StrategyRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly prices = new Map<string, number[]>();
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: StrategyEngineConfig,
    @Inject(AUDIT_TRAIL) private readonly audit: AuditTrail,
    @Inject(JTS_LOGGER) private readonly logger: JtsLogger,
    private readonly clients: ServiceClients,
    private readonly portfolio: Portfolio,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => this.tick(), this.config.intervalMs);
    // Registered with @nestjs/schedule, which clears it when the application shuts down.
    this.scheduler.addInterval('strategies', timer);
    this.logger.info(
      { strategies: this.config.strategies.map((strategy) => strategy.id), interval_ms: this.config.intervalMs },
      'strategies scheduled',
    );
  }

  /** Stops scheduling and lets the evaluations in flight finish (their orders are audited). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.running.values());
  }

  private tick(): void {
    for (const strategy of this.config.strategies) {
      if (this.stopped || this.running.has(strategy.id)) continue; // one evaluation at a time per strategy
      // A failed evaluation was already logged, traced and counted by its strategy.execution run.
      const run = this.evaluate(strategy)
        .catch(() => undefined)
        .finally(() => this.running.delete(strategy.id));
      this.running.set(strategy.id, run);
    }
  }

  @JobContext()
  @TraceStrategy((strategy: StrategyDefinition) => ({ strategyId: strategy.id, symbol: strategy.symbol }))
  async evaluate(strategy: StrategyDefinition): Promise<void> {
    const quote = await this.clients.quote(strategy.symbol);
    const history = [...(this.prices.get(strategy.symbol) ?? []), quote.last].slice(-32);
    this.prices.set(strategy.symbol, history);
    this.portfolio.mark(strategy.id, quote.last);
    const decision = decide(strategy.kind, history);
    const oversized = decision.action !== 'hold' && Math.random() < this.config.oversizedOrderRate;
    const quantity = oversized
      ? this.config.maxQuantity * 100
      : 1 + Math.floor(Math.random() * this.config.maxQuantity);
    await this.audit.recordTradingDecision({
      strategy: strategy.id,
      symbol: strategy.symbol,
      action: decision.action,
      reasoning: decision.reasoning,
      riskAssessment: {
        position: this.portfolio.standing(strategy.id).position,
        quantity: decision.action === 'hold' ? 0 : quantity,
      },
      complianceCheck: true,
      ...(decision.action !== 'hold' && { quantity, price: decision.action === 'buy' ? quote.ask : quote.bid }),
    });
    if (decision.action === 'hold') return;
    const price = decision.action === 'buy' ? quote.ask : quote.bid;
    const result = await this.clients.submit({
      strategyId: strategy.id,
      symbol: strategy.symbol,
      side: decision.action,
      orderType: 'limit',
      quantity,
      price,
    });
    if (result.filledQuantity > 0 && result.averagePrice !== undefined)
      this.portfolio.fill(strategy.id, decision.action, result.filledQuantity, result.averagePrice);
    this.logger.info(
      {
        order_id: result.orderId,
        status: result.status,
        reason: result.reason,
        filled_quantity: result.filledQuantity,
      },
      `order ${result.status}`,
    );
  }
}
