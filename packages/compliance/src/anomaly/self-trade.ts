import type { AnomalyDetection, Detector, TradingActivity } from './types.js';

/** Parameters of the self-trade detector. */
export interface SelfTradeOptions {
  /** Resting orders older than this are forgotten (no cancel seen). Default 86400000 (1 day). */
  readonly orderTtlMs?: number;
  /** Most resting orders remembered per account and symbol (oldest dropped first). Default 10000. */
  readonly maxOpenOrders?: number;
}

interface Resting {
  readonly side: 'buy' | 'sell';
  readonly price: number | undefined;
  readonly time: number;
}

/**
 * Self-trade (wash trade) risk on one account: a new order that would cross a resting order of
 * the same account on the other side of the same symbol (buy price >= resting sell price, sell
 * price <= resting buy price; a market order crosses any resting order). Resting orders leave the
 * book on cancel or fill.
 *
 * @param options - see {@link SelfTradeOptions}
 * @returns the detector
 * @example
 * const wash = createSelfTradeDetector();
 * wash.observe({ kind: 'order', time: Date.now(), account: 'A1', symbol: 'MSFT', orderId: 'o-2', side: 'sell', price: 410 });
 */
export function createSelfTradeDetector(options: SelfTradeOptions = {}): Detector {
  const ttl = options.orderTtlMs ?? 86_400_000;
  const maxOpen = options.maxOpenOrders ?? 10_000;
  const books = new Map<string, Map<string, Resting>>();

  return {
    name: 'self_trade',
    observe(activity: TradingActivity): AnomalyDetection[] {
      const key = `${activity.account}\u0000${activity.symbol}`;
      let book = books.get(key);
      if (activity.kind !== 'order') {
        book?.delete(activity.orderId);
        return [];
      }
      if (!book) books.set(key, (book = new Map()));
      if (activity.side === undefined) return [];
      let crossed: [string, Resting] | undefined;
      for (const entry of book) {
        const [id, resting] = entry;
        if (activity.time - resting.time > ttl) {
          book.delete(id);
          continue;
        }
        if (resting.side === activity.side) continue;
        const buy = activity.side === 'buy' ? activity.price : resting.price;
        const sell = activity.side === 'sell' ? activity.price : resting.price;
        if (buy === undefined || sell === undefined || buy >= sell) {
          crossed = entry;
          break;
        }
      }
      book.set(activity.orderId, { side: activity.side, price: activity.price, time: activity.time });
      if (book.size > maxOpen) book.delete(book.keys().next().value!);
      if (!crossed) return [];
      return [
        {
          detector: 'self_trade',
          severity: 'high',
          time: activity.time,
          account: activity.account,
          symbol: activity.symbol,
          orderId: activity.orderId,
          message: `Order ${activity.orderId} (${activity.side} ${activity.price ?? 'market'}) would trade against resting order ${crossed[0]} (${crossed[1].side} ${crossed[1].price ?? 'market'}) of the same account ${activity.account}: possible wash trade`,
          details: {
            restingOrderId: crossed[0],
            restingSide: crossed[1].side,
            restingPrice: crossed[1].price ?? 'market',
            price: activity.price ?? 'market',
          },
        },
      ];
    },
  };
}
