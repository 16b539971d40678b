import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request timeout of the test service's adapter: `/orders/slow` answers after twice this. */
export const API_REQUEST_TIMEOUT_MS = 50;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The HTTP API of the live dashboard check's service, behind `instrumentHandler`: `/orders`
 * answers 200, `/orders/fail` throws (the adapter answers 500 and counts a handler error),
 * `/orders/slow` answers after the request timeout (outcome `timeout` with no status code, then a
 * late response), anything else 404.
 *
 * @param request - the incoming request
 * @param response - its response
 */
export async function serveApi(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.url === '/orders/fail') throw new Error('order store unavailable');
  if (request.url === '/orders/slow') {
    await pause(API_REQUEST_TIMEOUT_MS * 2);
    response.writeHead(200).end('late');
    return;
  }
  response.writeHead(request.url === '/orders' ? 200 : 404).end();
}

/**
 * One round of real requests to {@link serveApi}: two successes, a 404, a handler error every
 * third round and a timed-out request every fourth.
 *
 * @param round - round number, chooses the failures deterministically
 * @param baseUrl - `http://127.0.0.1:<port>` of the service
 */
export async function apiRound(round: number, baseUrl: string): Promise<void> {
  const paths = ['/orders', '/orders', '/positions/unknown'];
  if (round % 3 === 0) paths.push('/orders/fail');
  if (round % 4 === 0) paths.push('/orders/slow');
  await Promise.all(paths.map(async (path) => (await fetch(`${baseUrl}${path}`)).arrayBuffer()));
}
