/**
 * The contract every server case of the HTTP adapter benchmark follows: listen on 127.0.0.1 at
 * `PORT` (0: a free port), print `LISTENING <port>` once listening, answer `GET /orders/:id` with
 * a small JSON body, stop on SIGTERM after flushing what the case buffers.
 */
import { type IncomingMessage, type RequestListener, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The small JSON body every case answers with. */
export function orderBody(id: string): string {
  return JSON.stringify({ orderId: id, status: 'filled', symbol: 'AAPL', quantity: 100 });
}

/** The order ID of a raw `node:http` request for `/orders/:id`, or undefined for any other path. */
export function orderIdOf(url: string | undefined): string | undefined {
  return url?.startsWith('/orders/') ? url.slice('/orders/'.length).split('?', 1)[0] : undefined;
}

/** The route template of a raw `node:http` request: `/orders/:id`, or undefined for any other path. */
export function orderRouteOf(request: IncomingMessage): string | undefined {
  return orderIdOf(request.url) === undefined ? undefined : '/orders/:id';
}

/**
 * The handler of the raw `node:http` cases: `GET /orders/:id` answered with the order's small JSON
 * body, anything else with a 404.
 */
export function answerOrder(request: IncomingMessage, response: ServerResponse): void {
  const id = orderIdOf(request.url);
  if (request.method !== 'GET' || id === undefined) {
    response.statusCode = 404;
    response.end();
    return;
  }
  response.setHeader('content-type', 'application/json');
  response.end(orderBody(id));
}

/**
 * Spends `microseconds` of CPU in a busy loop on the monotonic clock, touching no memory: the added
 * work of the `node-http-cpu-*` reference cases, which show what throughput ratio a fixed amount
 * of work per request gives on the machine the benchmark runs on.
 *
 * @param microseconds - CPU time to spend
 */
export function spendCpu(microseconds: number): void {
  const until = performance.now() + microseconds / 1000;
  while (performance.now() < until) {
    // Busy on purpose: the CPU spent is the case's point.
  }
}

/** The file the case writes its log lines to (env `LOG_FILE`). */
export function logFile(): string {
  const file = process.env.LOG_FILE;
  if (!file) throw new Error('LOG_FILE must name the file the log lines go to');
  return file;
}

/**
 * Serves `listener` (or a server already made) as the contract says.
 *
 * @param handler - a request listener or a server
 * @param onStop - flushes and closes what the case opened (logger, tracing) before the process exits
 */
export function serve(handler: RequestListener | Server, onStop: () => unknown = () => undefined): void {
  const server = typeof handler === 'function' ? createServer(handler) : handler;
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
  });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(async () => {
      await onStop();
      process.exit(0);
    });
  });
}
