import { JtsError } from '@jts/core';
import type { DomainRecord } from './audit-record-input.js';

/** A trading decision taken by a strategy or a person, with why and under which checks. */
export interface TradingDecision {
  /** Strategy identifier. */
  readonly strategy: string;
  /** Instrument. */
  readonly symbol: string;
  /** What was decided, e.g. `buy`, `sell`, `hold`, `close`. */
  readonly action: string;
  /** Why: free text or structured signals. */
  readonly reasoning: unknown;
  /** Risk assessment at decision time (exposure, limits, VaR, ...). */
  readonly riskAssessment?: unknown;
  /** Whether pre-trade compliance checks passed. */
  readonly complianceCheck: boolean;
  /** Acting user or service principal. */
  readonly user?: string;
  /** Quantity and price considered, if any. */
  readonly quantity?: number;
  readonly price?: number;
}

/**
 * Maps a trading decision to a `trading.decision` record.
 *
 * @param decision - the decision
 * @returns the audit input and its event descriptor
 * @throws JtsError `JTS_ERR_INVALID_ARGUMENT` when strategy, symbol or action is missing
 * @example
 * tradingDecisionRecord({ strategy: 'mm-1', symbol: 'AAPL', action: 'hold', reasoning: 'spread too narrow', complianceCheck: true }).input.type; // 'trading.decision'
 */
export function tradingDecisionRecord(decision: TradingDecision): DomainRecord {
  for (const field of ['strategy', 'symbol', 'action'] as const) {
    if (typeof decision?.[field] !== 'string' || decision[field] === '') {
      throw new JtsError('JTS_ERR_INVALID_ARGUMENT', `recordTradingDecision: ${field} must be a non-empty string`);
    }
  }
  if (typeof decision.complianceCheck !== 'boolean')
    throw new JtsError('JTS_ERR_INVALID_ARGUMENT', 'recordTradingDecision: complianceCheck must be a boolean');
  return {
    input: {
      type: 'trading.decision',
      actor: decision.user,
      trading: {
        strategyId: decision.strategy,
        symbol: decision.symbol,
        ...(decision.user !== undefined && { userId: decision.user }),
      },
      payload: {
        strategy: decision.strategy,
        symbol: decision.symbol,
        action: decision.action,
        reasoning: decision.reasoning,
        risk_assessment: decision.riskAssessment,
        compliance_check: decision.complianceCheck,
        quantity: decision.quantity,
        price: decision.price,
      },
    },
    event: {
      category: 'trading',
      action: 'trading-decision',
      outcome: decision.complianceCheck ? 'success' : 'failure',
      level: decision.complianceCheck ? 'info' : 'warn',
      message: `Trading decision ${decision.action} ${decision.symbol} by ${decision.strategy}${decision.complianceCheck ? '' : ' (compliance check failed)'}`,
    },
  };
}
