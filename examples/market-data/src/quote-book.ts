/** The latest quote of one symbol. */
export interface Quote {
  readonly symbol: string;
  readonly exchange: string;
  readonly bid: number;
  readonly ask: number;
  readonly last: number;
  /** Updates of this symbol so far. */
  readonly sequence: number;
  /** When the exchange published it (ISO 8601) and how long it took to arrive (ms). */
  readonly exchangeTime: string;
  readonly latencyMs: number;
}

/**
 * The latest quote per symbol: what the feed writes and the HTTP API reads.
 *
 * @returns `update`, `get` and `all`
 */
export function createQuoteBook() {
  const quotes = new Map<string, Quote>();
  return {
    update(quote: Quote): void {
      quotes.set(quote.symbol, quote);
    },
    get: (symbol: string): Quote | undefined => quotes.get(symbol),
    all: (): Quote[] => [...quotes.values()],
  };
}

/** The quotes of the feed. */
export type QuoteBook = ReturnType<typeof createQuoteBook>;
