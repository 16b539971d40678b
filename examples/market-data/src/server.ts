import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { instrumentHandler } from '@jts/http';
import { match } from 'path-to-regexp';
import type { QuoteBook } from './quote-book.js';
import type { Telemetry } from './telemetry.js';

const QUOTE = '/quotes/:symbol';
const QUOTES = '/quotes';
const matchQuote = match<{ symbol: string }>(QUOTE);

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const pathOf = (request: IncomingMessage) => (request.url ?? '/').split('?')[0]!;

/** The route template of a request (never its raw URL): the `route` label and the span name. */
function routeOf(request: IncomingMessage): string | undefined {
  const path = pathOf(request);
  if (path === QUOTES) return QUOTES;
  return matchQuote(path) ? QUOTE : undefined;
}

/**
 * The market-data HTTP API on raw `node:http`: `GET /quotes`, `GET /quotes/:symbol`, `/metrics`
 * and `/healthz`, each request an `http.server.request` run through `@jts/http`.
 *
 * @param book - the quotes
 * @param telemetry - the signals (scrape handler)
 * @returns the (not yet listening) server
 */
export function createMarketDataServer(book: QuoteBook, telemetry: Telemetry): Server {
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const path = pathOf(request);
    if (path === '/metrics') return telemetry.scrape(request, response);
    if (path === '/healthz') return reply(response, 200, { status: 'ok', symbols: book.all().length });
    if (request.method !== 'GET') return reply(response, 405, { error: 'method_not_allowed' });
    if (path === QUOTES) return reply(response, 200, book.all());
    const found = matchQuote(path);
    if (!found) return reply(response, 404, { error: 'not_found' });
    const quote = book.get(found.params.symbol);
    return quote
      ? reply(response, 200, quote)
      : reply(response, 404, { error: 'unknown_symbol', symbol: found.params.symbol });
  };
  return createServer(instrumentHandler(handle, { route: routeOf }));
}
