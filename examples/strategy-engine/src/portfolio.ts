import { Inject, Injectable } from '@nestjs/common';
import { JTS_METRICS } from '@jts/nestjs';
import type { TradingMetrics } from '@jts/metrics';
import { ENGINE_CONFIG, type StrategyEngineConfig } from './config.js';

interface Book {
  position: number;
  averageCost: number;
  realized: number;
  peakEquity: number;
  wins: number;
  losses: number;
  mark: number;
}

/** One strategy's standing, as `GET /strategies` shows it. */
export interface StrategyStanding {
  readonly strategyId: string;
  readonly position: number;
  readonly pnl: number;
  readonly drawdownPercent: number;
  readonly winRate: number;
  readonly closedTrades: number;
}

/**
 * Positions, P&L, drawdown and win rate per strategy, kept from the fills the order service
 * reports and marked to the latest price; every change sets the `strategy_pnl`,
 * `strategy_drawdown_current` and `strategy_win_rate` gauges.
 */
@Injectable()
export class Portfolio {
  private readonly books = new Map<string, Book>();

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: StrategyEngineConfig,
    @Inject(JTS_METRICS) private readonly metrics: TradingMetrics,
  ) {}

  private book(strategyId: string): Book {
    let book = this.books.get(strategyId);
    if (!book)
      this.books.set(
        strategyId,
        (book = {
          position: 0,
          averageCost: 0,
          realized: 0,
          peakEquity: this.config.capital,
          wins: 0,
          losses: 0,
          mark: 0,
        }),
      );
    return book;
  }

  /** Applies a fill: a trade that reduces the position realises P&L and counts as a win or a loss. */
  fill(strategyId: string, side: 'buy' | 'sell', quantity: number, price: number): void {
    const book = this.book(strategyId);
    const signed = side === 'buy' ? quantity : -quantity;
    if (book.position !== 0 && Math.sign(signed) !== Math.sign(book.position)) {
      const closed = Math.min(Math.abs(signed), Math.abs(book.position));
      const profit = (price - book.averageCost) * closed * Math.sign(book.position);
      book.realized += profit;
      if (profit > 0) book.wins += 1;
      else book.losses += 1;
    }
    const position = book.position + signed;
    if (position === 0) book.averageCost = 0;
    else if (Math.sign(position) !== Math.sign(book.position)) book.averageCost = price;
    else if (Math.abs(position) > Math.abs(book.position))
      book.averageCost = (book.averageCost * book.position + price * signed) / position;
    book.position = position;
    this.mark(strategyId, price);
  }

  /** Marks the position to `price` and publishes the gauges. */
  mark(strategyId: string, price: number): void {
    const book = this.book(strategyId);
    book.mark = price;
    const standing = this.standing(strategyId);
    book.peakEquity = Math.max(book.peakEquity, this.config.capital + standing.pnl);
    this.metrics.setStrategyPnl({ strategyId }, standing.pnl);
    this.metrics.setStrategyDrawdown({ strategyId }, this.standing(strategyId).drawdownPercent);
    if (standing.closedTrades > 0) this.metrics.setStrategyWinRate({ strategyId }, standing.winRate);
  }

  standing(strategyId: string): StrategyStanding {
    const book = this.book(strategyId);
    const pnl = book.realized + (book.mark - book.averageCost) * book.position;
    const closedTrades = book.wins + book.losses;
    const equity = this.config.capital + pnl;
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      strategyId,
      position: book.position,
      pnl: round(pnl),
      drawdownPercent: round(Math.max(0, ((book.peakEquity - equity) / book.peakEquity) * 100)),
      winRate: closedTrades === 0 ? 0 : round(book.wins / closedTrades),
      closedTrades,
    };
  }

  all(): StrategyStanding[] {
    return [...this.books.keys()].map((strategyId) => this.standing(strategyId));
  }
}
