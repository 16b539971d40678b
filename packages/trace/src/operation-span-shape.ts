import { type Attributes, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  CORRELATION_ID_ATTRIBUTE,
  type FinishedRun,
  type OperationMessage,
  type OperationName,
  OUTCOME_SIGNALS,
} from '@jts/core';

/** Span name, kind and the attributes known when an operation starts. */
export interface OperationSpanStart {
  readonly name: string;
  readonly kind: SpanKind;
  readonly attributes: Attributes | undefined;
}

const KINDS: Readonly<Record<OperationName, SpanKind>> = {
  'order.execution': SpanKind.INTERNAL,
  'strategy.execution': SpanKind.INTERNAL,
  'market_data.processing': SpanKind.INTERNAL,
  'risk.check': SpanKind.INTERNAL,
  'broker.api_call': SpanKind.CLIENT,
  'http.server.request': SpanKind.SERVER,
};

// Operations without start attributes share one frozen description each: no allocation per run.
const STARTS: Readonly<Record<string, OperationSpanStart>> = Object.fromEntries(
  Object.entries(KINDS).map(([name, kind]) => [name, Object.freeze({ name, kind, attributes: undefined })]),
);

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
]);

function httpMethod(raw: unknown, attributes: Attributes): string | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  const upper = raw.toUpperCase();
  if (KNOWN_METHODS.has(upper)) {
    attributes['http.request.method'] = upper;
    if (upper !== raw) attributes['http.request.method_original'] = raw;
    return upper;
  }
  attributes['http.request.method'] = '_OTHER';
  attributes['http.request.method_original'] = raw;
  return undefined;
}

function httpServerStart(message: OperationMessage): OperationSpanStart {
  const given = message.attributes;
  const attributes: Attributes = {};
  const method = httpMethod(given.method, attributes);
  const route = typeof given.route === 'string' && given.route !== '' ? given.route : undefined;
  if (route !== undefined) attributes['http.route'] = route;
  if (typeof given.url === 'string') {
    const query = given.url.indexOf('?');
    attributes['url.path'] = query === -1 ? given.url : given.url.slice(0, query);
    if (query !== -1) attributes['url.query'] = given.url.slice(query + 1);
  }
  attributes['url.scheme'] = typeof given.scheme === 'string' ? given.scheme : 'http';
  const headers = given.headers as Record<string, unknown> | undefined;
  const agent = headers?.['user-agent'];
  if (typeof agent === 'string') attributes['user_agent.original'] = agent;
  // OTel HTTP semconv: "{method} {http.route}", or the method alone, or "HTTP" for unknown methods.
  const name = method === undefined ? 'HTTP' : route === undefined ? method : `${method} ${route}`;
  return { name, kind: SpanKind.SERVER, attributes };
}

function brokerStart(message: OperationMessage): OperationSpanStart {
  const given = message.attributes;
  const attributes: Attributes = {};
  httpMethod(given.method, attributes);
  if (typeof given.url === 'string') attributes['url.full'] = given.url;
  if (typeof given.endpoint === 'string') attributes['trading.broker.endpoint'] = given.endpoint;
  return { name: message.operation, kind: SpanKind.CLIENT, attributes };
}

/**
 * Name, kind and start attributes of the span for one operation run (OTel HTTP semantic
 * conventions for `http.server.request` and for the HTTP parts of `broker.api_call`).
 *
 * @internal
 */
export function operationSpanStart(message: OperationMessage): OperationSpanStart {
  if (message.operation === 'http.server.request') return httpServerStart(message);
  if (message.operation === 'broker.api_call') return brokerStart(message);
  return STARTS[message.operation] ?? { name: message.operation, kind: SpanKind.INTERNAL, attributes: undefined };
}

/** Adds the trading attributes and correlation ID of the run's context. @internal */
export function addContextAttributes(span: Span, message: OperationMessage): void {
  span.setAttributes(message.context.attributes);
  span.setAttribute(CORRELATION_ID_ATTRIBUTE, message.context.correlationId);
}

/**
 * Records the verdict core computed on a recording span, through the one mapping
 * (`OUTCOME_SIGNALS`): ERROR status for the error class (with `error.type` and the exception),
 * UNSET otherwise; `jts.operation.outcome` (and `jts.operation.reason`) for business outcomes;
 * the HTTP status code and the route learnt while running (the span name follows it).
 *
 * @internal
 */
export function recordOutcome(span: Span, run: FinishedRun): void {
  const verdict = run.verdict;
  const statusCode = run.attribute('statusCode');
  if (typeof statusCode === 'number') span.setAttribute('http.response.status_code', statusCode);
  if (run.operation === 'http.server.request') {
    const route = run.updates?.route;
    if (typeof route === 'string' && route !== '') {
      span.setAttribute('http.route', route);
      const method = run.attribute('method');
      span.updateName(
        typeof method === 'string' && KNOWN_METHODS.has(method.toUpperCase())
          ? `${method.toUpperCase()} ${route}`
          : 'HTTP',
      );
    }
  }
  if (verdict.outcomeClass === 'business') {
    span.setAttribute('jts.operation.outcome', verdict.outcome);
    if (verdict.reason !== undefined) span.setAttribute('jts.operation.reason', verdict.reason);
  }
  if (OUTCOME_SIGNALS[verdict.outcomeClass].spanStatus !== 'error') return;
  span.setAttribute('error.type', verdict.errorType ?? verdict.outcome);
  const error = verdict.error;
  if (error === undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: verdict.errorType ?? verdict.outcome });
    return;
  }
  // The exception event and the status message carry the error's text: the redacting span
  // processor masks both (with the name) in onEnding, before any exporter sees the span.
  span.recordException(error instanceof Error ? error : describe(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? describe(error.message) : describe(error),
  });
}

/** Text of a thrown value, without letting a hostile getter or `toString` escape. */
function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return `[unprintable ${typeof value}]`;
  }
}
