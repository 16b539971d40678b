import type { IncomingMessage } from 'node:http';
import { CORRELATION_ID_HEADER, JtsError } from '@jts/core';
import { parseBoolean, parseNumber, resolveOption } from '@jts/core/internal';
import { Deadlines } from './internal/deadlines.js';
import { type ExclusionRule, compileExclusions } from './internal/exclusions.js';
import { engineSplitsShapes } from './request-shapes.js';

/** Options of every JTS HTTP adapter (`instrumentHandler`, `instrumentServer`, `@jts/express`, `@jts/nestjs`). */
export interface HttpInstrumentationOptions {
  /** Header carrying the correlation ID in and out. Env `JTS_HTTP_CORRELATION_HEADER`. Default `x-correlation-id`. */
  readonly correlationHeader?: string;
  /** Echo the request's correlation ID in that response header. Env `JTS_HTTP_ECHO_CORRELATION_ID`. Default `true`. */
  readonly echoCorrelationId?: boolean;
  /**
   * Requests that make no span, no line and no series: exact paths (`/metrics`), route templates
   * (`/health/:probe`, Express 5 syntax), RegExps tested on the path, or a predicate; `false` for
   * none. Env `JTS_HTTP_EXCLUDE` (comma-separated paths and templates). Default `/metrics`,
   * `/healthz`, `/readyz`, `/livez`, `/favicon.ico`.
   */
  readonly exclude?: readonly (string | RegExp)[] | ((request: IncomingMessage) => boolean) | false;
  /**
   * The route template of a request (`/orders/:id`), for raw `node:http`; the framework adapters
   * capture it while routing. Never the raw URL. Default: none, so requests share the `unmatched` template.
   */
  readonly route?: (request: IncomingMessage) => string | undefined;
  /**
   * A response that has not ended after this long is closed out with the outcome `timeout` in
   * every signal (the response itself is left alone). Env `JTS_HTTP_REQUEST_TIMEOUT_MS`. Default
   * 120000; 0 disables.
   */
  readonly requestTimeoutMs?: number;
  /**
   * While the process is ending (SIGTERM/SIGINT or a fatal error, while core's exit registry
   * flushes), answer new requests with 503, `connection: close` and `retry-after: 1` instead of
   * taking orders a dying process may not finish. Env `JTS_HTTP_REFUSE_WHILE_EXITING`. Default `true`.
   */
  readonly refuseWhileExiting?: boolean;
  /**
   * For the adapters of Express (`@jts/express`, and `@jts/nestjs` on its Express platform): keep
   * the app's requests and responses on shared V8 hidden classes. Each request and response is
   * given, before Express swaps their prototypes, the properties the app was seen to add after the
   * swap (`params`, `route`, `locals`, a body, a user...), each holding the value a read would find
   * (`undefined`, or the prototype's). On Node 20 and 22, V8 otherwise makes a hidden class for
   * every request and response, which costs Express itself most of its time per request (the
   * Express guide, "Cost"). Visible to code that tests whether such a property exists
   * (`'user' in req`, `Object.hasOwn`, `Object.keys`) before it is set. Ignored by
   * `instrumentHandler` and `instrumentServer` of raw `node:http`. Env
   * `JTS_HTTP_KEEP_REQUEST_SHAPES`. Default: `true` on engines that split the hidden classes (the
   * V8 of Node 20 and 22), `false` where V8 keeps one (Node 24).
   */
  readonly keepRequestShapes?: boolean;
  /** Environment variables to read instead of `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Options after option > environment variable > default. */
export interface HttpSettings {
  readonly correlationHeader: string;
  readonly echoCorrelationId: boolean;
  /** Whether a request is excluded; `url` is its target when the caller has already read it. */
  readonly excluded: (request: IncomingMessage, url?: string) => boolean;
  readonly route: ((request: IncomingMessage) => string | undefined) | undefined;
  readonly requestTimeoutMs: number;
  readonly refuseWhileExiting: boolean;
  readonly keepRequestShapes: boolean;
  /** The clock of this adapter's open requests (undefined when `requestTimeoutMs` is 0). */
  readonly deadlines: Deadlines | undefined;
}

/** Paths no request metric, span or line should describe by default: scrapes and probes. */
export const DEFAULT_EXCLUDED_PATHS: readonly string[] = Object.freeze([
  '/metrics',
  '/healthz',
  '/readyz',
  '/livez',
  '/favicon.ico',
]);

const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

/**
 * Resolves the options once, at setup.
 *
 * @param options - what the adapter was given
 * @returns the settings
 * @throws JtsError `JTS_ERR_INVALID_OPTION` naming the option and its environment variable
 */
export function resolveHttpSettings(options: HttpInstrumentationOptions = {}): HttpSettings {
  const env = options.env ?? process.env;
  const correlationHeader = resolveOption<string>({
    name: 'correlationHeader',
    option: options.correlationHeader?.toLowerCase(),
    env: 'JTS_HTTP_CORRELATION_HEADER',
    parse: (raw) => raw.toLowerCase(),
    default: CORRELATION_ID_HEADER,
    validate: (value) =>
      typeof value === 'string' && HEADER_NAME.test(value)
        ? undefined
        : 'must be an HTTP header name (token characters, at most 64)',
    environment: env,
  });
  const echoCorrelationId = resolveOption({
    name: 'echoCorrelationId',
    option: options.echoCorrelationId,
    env: 'JTS_HTTP_ECHO_CORRELATION_ID',
    parse: parseBoolean,
    default: true,
    validate: (value) => (typeof value === 'boolean' ? undefined : 'must be a boolean'),
    environment: env,
  });
  const requestTimeoutMs = resolveOption({
    name: 'requestTimeoutMs',
    option: options.requestTimeoutMs,
    env: 'JTS_HTTP_REQUEST_TIMEOUT_MS',
    parse: parseNumber({ min: 0, integer: true }),
    default: 120_000,
    validate: (value) =>
      Number.isSafeInteger(value) && value >= 0 && value <= 2_147_483_647
        ? undefined
        : 'must be an integer of milliseconds >= 0 (0 disables)',
    environment: env,
  });
  const refuseWhileExiting = resolveOption({
    name: 'refuseWhileExiting',
    option: options.refuseWhileExiting,
    env: 'JTS_HTTP_REFUSE_WHILE_EXITING',
    parse: parseBoolean,
    default: true,
    validate: (value) => (typeof value === 'boolean' ? undefined : 'must be a boolean'),
    environment: env,
  });
  const keepRequestShapes = resolveOption({
    name: 'keepRequestShapes',
    option: options.keepRequestShapes,
    env: 'JTS_HTTP_KEEP_REQUEST_SHAPES',
    parse: parseBoolean,
    default: engineSplitsShapes(),
    validate: (value) => (typeof value === 'boolean' ? undefined : 'must be a boolean'),
    environment: env,
  });
  if (options.route !== undefined && typeof options.route !== 'function') {
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      'Invalid option route: must be a function returning the route template of a request',
    );
  }
  const fromEnv = env.JTS_HTTP_EXCLUDE?.trim();
  const given =
    options.exclude ??
    (fromEnv
      ? fromEnv
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : DEFAULT_EXCLUDED_PATHS);
  const rules: ExclusionRule = given === false ? [] : given;
  return {
    correlationHeader,
    echoCorrelationId,
    excluded: compileExclusions(rules),
    route: options.route,
    requestTimeoutMs,
    refuseWhileExiting,
    keepRequestShapes,
    deadlines: requestTimeoutMs > 0 ? new Deadlines(requestTimeoutMs) : undefined,
  };
}
