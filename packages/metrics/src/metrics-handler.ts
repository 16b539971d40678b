import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzip } from 'node:zlib';
import { JtsError, reportDiagnostic } from '@jts/core';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, serializeRegistry } from './exposition.js';
import { createAuthCheck, resolveAuth } from './internal/http-auth.js';
import { isRegisteredFamily } from './internal/registered-family.js';

/** Credentials the handler accepts: a bearer token, or a basic-auth user and password. */
export type MetricsAuth = { readonly bearerToken: string } | { readonly username: string; readonly password: string };

/** Options of {@link metricsHandler}. */
export interface MetricsHandlerOptions {
  /** Registry to expose (for example `metrics.registry`). Required unless `cluster` is set. */
  readonly registry?: Registry;
  /** Require these credentials. Env `JTS_METRICS_BEARER_TOKEN` or `JTS_METRICS_BASIC_AUTH` (`user:password`). Default none. */
  readonly auth?: MetricsAuth;
  /** Compress with gzip when the scraper sends `Accept-Encoding: gzip`. Default true. */
  readonly gzip?: boolean;
  /** Serve OpenMetrics (with exemplars) when the scraper asks for it. Default true. */
  readonly openMetrics?: boolean;
  /** In the cluster primary: serve the sum of all workers through prom-client's `AggregatorRegistry`. Default false. */
  readonly cluster?: boolean;
  /** Environment variables to read instead of `process.env` (the credentials). Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** A `(req, res)` handler for node:http that also works as Express middleware and in Nest controllers. */
export type MetricsRequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

function wantsOpenMetrics(accept: string | undefined): boolean {
  return typeof accept === 'string' && /application\/openmetrics-text/i.test(accept);
}

function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function countScrapeError(registry: Registry | undefined): void {
  const metric: unknown = registry?.getSingleMetric('jts_metrics_scrape_errors_total');
  if (isRegisteredFamily(metric)) metric.family.increment(metric.family.resolve(undefined), 1, undefined);
}

function checkHandlerOptions(options: MetricsHandlerOptions): void {
  const fail = (message: string) => new JtsError('JTS_ERR_INVALID_OPTION', message);
  if (options === null || typeof options !== 'object')
    throw fail('Invalid options: metricsHandler takes an options object');
  for (const name of ['gzip', 'openMetrics', 'cluster'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean')
      throw fail(`Invalid option ${name}: must be a boolean`);
  }
  if (options.env !== undefined && (options.env === null || typeof options.env !== 'object'))
    throw fail('Invalid option env: expected an object of environment variables');
  const { registry } = options;
  if (registry === undefined && options.cluster !== true) {
    throw fail(
      'Invalid option registry: metricsHandler needs a prom-client registry (for example metrics.registry) or cluster: true',
    );
  }
  if (
    registry !== undefined &&
    typeof (registry as { getMetricsAsArray?: unknown } | null)?.getMetricsAsArray !== 'function'
  ) {
    throw fail('Invalid option registry: expected a prom-client Registry');
  }
}

/**
 * Builds the `/metrics` handler: GET and HEAD only (405 otherwise), optional bearer or basic
 * auth compared in constant time (401), Prometheus text or OpenMetrics by `Accept`, gzip by
 * `Accept-Encoding`. It never throws into the server: failures answer 500 and are counted in
 * `jts_metrics_scrape_errors_total`.
 *
 * @param options - registry, auth, gzip, OpenMetrics, cluster mode, env
 * @returns the handler
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a bad option (a missing registry outside cluster mode, malformed credentials)
 * @example
 * http.createServer((req, res) => (req.url === '/metrics' ? handler(req, res) : app(req, res)));
 */
export function metricsHandler(options: MetricsHandlerOptions = {}): MetricsRequestHandler {
  checkHandlerOptions(options);
  const { registry } = options;
  const auth = resolveAuth(options.auth, options.env ?? process.env);
  const checkAuth = createAuthCheck(auth);
  const challenge = auth !== undefined && 'bearerToken' in auth ? 'Bearer' : 'Basic realm="metrics"';
  const useGzip = options.gzip !== false;
  const allowOpenMetrics = options.openMetrics !== false;
  let aggregator: AggregatorRegistry<typeof PROMETHEUS_CONTENT_TYPE> | undefined;
  if (options.cluster === true) aggregator = new AggregatorRegistry();

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: Buffer,
    headers: Record<string, string>,
  ) => {
    res.statusCode = status;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader('Content-Length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown) => {
    countScrapeError(registry);
    reportDiagnostic({ source: 'metrics', event: 'scrape_failed', message: 'the metrics handler answered 500', error });
    try {
      if (res.headersSent) res.destroy();
      else send(req, res, 500, Buffer.from('metrics unavailable\n'), { 'Content-Type': 'text/plain; charset=utf-8' });
    } catch {
      // The connection is gone; nothing left to tell the scraper.
    }
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, Buffer.from('method not allowed\n'), {
        Allow: 'GET, HEAD',
        'Content-Type': 'text/plain; charset=utf-8',
      });
      return;
    }
    if (checkAuth !== undefined && !checkAuth(req)) {
      send(req, res, 401, Buffer.from('unauthorized\n'), {
        'WWW-Authenticate': challenge,
        'Content-Type': 'text/plain; charset=utf-8',
      });
      return;
    }
    const openMetrics = allowOpenMetrics && aggregator === undefined && wantsOpenMetrics(req.headers.accept);
    const text =
      aggregator !== undefined
        ? await aggregator.clusterMetrics()
        : await serializeRegistry(registry!, { openMetrics });
    const headers: Record<string, string> = {
      'Content-Type': openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE,
      'Cache-Control': 'no-store',
      Vary: 'Accept, Accept-Encoding',
    };
    let body: Buffer = Buffer.from(text, 'utf8');
    if (useGzip && acceptsGzip(req.headers['accept-encoding'])) {
      body = await new Promise<Buffer>((resolve, reject) =>
        gzip(body, (error, result) => (error ? reject(error) : resolve(result))),
      );
      headers['Content-Encoding'] = 'gzip';
    }
    send(req, res, 200, body, headers);
  };

  return (req, res) => {
    try {
      serve(req, res).catch((error: unknown) => fail(req, res, error));
    } catch (error) {
      fail(req, res, error);
    }
  };
}
