/**
 * The three real signals every adapter test observes (a pino logger writing JSON lines to memory,
 * a prom-client registry read through its OpenMetrics exposition, OpenTelemetry spans in an
 * in-memory exporter), plus a real server on 127.0.0.1:0 and a raw HTTP client. Shared by the
 * tests of @jts/http, @jts/express and @jts/nestjs.
 */
import { type IncomingHttpHeaders, type RequestListener, type Server, createServer, request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '@jts/log';
import { createTradingMetrics } from '@jts/metrics';
import { createCapture } from '../../../log/test/helpers/capture.js';
import { type ParsedSample, parseExposition } from '../../../metrics/test/support/parse-exposition.js';
import { startTestTracing } from '../../../trace/test/support/in-memory-tracing.js';

/** The signals of one test, created as a user would create them. */
export interface Signals {
  /** The logger, metrics and tracing themselves, for adapters that are given them (`JtsModule`). */
  readonly logger: ReturnType<typeof createLogger>;
  readonly metrics: ReturnType<typeof createTradingMetrics>;
  readonly tracing: ReturnType<typeof startTestTracing>;
  /** Access lines (`event.action` = `http.server.request`) written so far. */
  accessLines(): Record<string, unknown>[];
  /** Every line written so far. */
  lines(): Record<string, unknown>[];
  /** Server spans exported so far (flushes first). */
  serverSpans(): Promise<ReadableSpan[]>;
  /** Every span exported so far (flushes first). */
  spans(): Promise<ReadableSpan[]>;
  /** Samples of the OpenMetrics exposition, exemplars included. */
  samples(): Promise<ParsedSample[]>;
  /** The registry's exposition text. */
  exposition(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Creates a real logger, metrics and tracing, as a service would at start-up.
 *
 * @returns the signals
 */
export function startSignals(): Signals {
  const capture = createCapture();
  const logger = createLogger({
    serviceName: 'adapter-test',
    destination: { stream: capture.stream },
    flushOnExit: false,
    operations: ['http.server.request', 'order.execution'],
  });
  const metrics = createTradingMetrics({ defaultMetrics: false });
  const tracing = startTestTracing();
  const spans = async () => tracing.spans();
  return {
    logger,
    metrics,
    tracing,
    lines: () => capture.records(),
    accessLines: () => capture.records().filter((line) => line['event.action'] === 'http.server.request'),
    spans,
    serverSpans: async () => (await spans()).filter((span) => span.kind === 1),
    samples: async () => parseExposition(await metrics.metrics({ openMetrics: true })).samples,
    exposition: () => metrics.metrics({ openMetrics: true }),
    async close() {
      await tracing.shutdown();
      metrics.close();
      await logger.close();
    },
  };
}

/** A server listening on a free 127.0.0.1 port. */
export interface Listening {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Starts a real HTTP server on 127.0.0.1:0.
 *
 * @param handler - a request listener or a server
 * @returns where it listens
 */
export async function listen(handler: RequestListener | Server): Promise<Listening> {
  const server = typeof handler === 'function' ? createServer(handler) : handler;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a request got. */
export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * One real request through node:http.
 *
 * @param url - the full URL
 * @param options - method, headers, body
 * @returns status, headers and body
 */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/**
 * Sends raw bytes as a request (header values Node's client would refuse: control bytes, CR/LF)
 * and returns the raw response head.
 *
 * @param port - server port on 127.0.0.1
 * @param head - request line and headers, CRLF-separated, without the final blank line
 * @param options - `keepOpen`: do not half-close the socket after the request (a server that
 *   answers asynchronously, like Express or Fastify, drops a half-closed request's answer)
 * @returns the raw response text (headers and body)
 */
export function sendRaw(port: number, head: string, options: { keepOpen?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = `${head}\r\nConnection: close\r\n\r\n`;
    const socket = connect(port, '127.0.0.1', () => (options.keepOpen ? socket.write(request) : socket.end(request)));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

/**
 * Starts a request and destroys it once the server has begun handling it: the client aborts.
 *
 * @param url - the full URL
 * @param started - resolves when the handler has the request
 */
export async function abortAfterStart(url: string, started: Promise<void>): Promise<void> {
  const outgoing = request(url, { agent: false });
  outgoing.on('error', () => {});
  outgoing.end();
  await started;
  outgoing.destroy();
}

/** Polls until `check` returns true (up to 5 s). */
export async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
