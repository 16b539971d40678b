// The cost of @jts/http's request lifecycle in process: no sockets and no load generator, so the
// figure is the adapter's own work per request, free of the scheduling noise of bench/http-adapters
// (which measures whole servers under autocannon). Every request is new: a real IncomingMessage
// and ServerResponse (node:http's own classes, no socket: the response is buffered), the handler
// answers a small JSON body, and `finish` then `close` are emitted as node:http does once the
// response is written. 20 requests per call, then one event-loop turn (log writes and span
// exports happen there), in every case: one after another in the first two suites, all in flight
// together in the third.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Context, ROOT_CONTEXT, type Span, SpanKind, propagation, trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { Counter, Histogram, Registry } from 'prom-client';
import { compare } from '../../../bench/harness.js';
import { DiscardingExporter } from '../../../bench/http-adapters/support/discarding-exporter.js';
import { type MinimalSignals, minimalSignals } from '../../../bench/http-adapters/support/minimal-signals.js';
import {
  type Listener,
  PER_CALL,
  ROUNDS,
  ROUNDS_TEXT,
  batch,
  batchInFlight,
  orderHandler as handler,
  signalsSetupIn,
} from '../../../bench/http-adapters/support/in-process.js';
import { instrumentHandler } from '../dist/index.js';

const directory = mkdtempSync(join(tmpdir(), 'jts-http-bench-'));
// Hand-wired peer: the same work assembled from the libraries by hand, as a careful service
// would: a correlation ID (the caller's, or a new UUID) echoed in the response; a server span
// continuing \`traceparent\`, active while the handler runs (an AsyncLocalStorage holding the
// OpenTelemetry context, what its context manager does), batched to a discarding exporter;
// pino-http's access line to a file with the correlation ID and the span's IDs; a prom-client
// histogram and counter by method, route, status and outcome, with the span's IDs as exemplars.
type HandWiredRequest = IncomingMessage & { span?: Span; correlationId?: string };
let handWired: Listener | undefined;
const handWiredSetup = () => {
  if (handWired !== undefined) return;
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new DiscardingExporter())] });
  const tracer = provider.getTracer('bench');
  const active = new AsyncLocalStorage<Context>();
  const logger = pinoHttp({
    logger: pino(pino.destination({ dest: join(directory, 'pino.log'), sync: false })),
    customProps: (request) => {
      const { span, correlationId } = request as HandWiredRequest;
      const ids = span?.spanContext();
      return { correlation_id: correlationId, 'trace.id': ids?.traceId, 'span.id': ids?.spanId };
    },
  });
  const RegistryOf = Registry as unknown as new (contentType: string) => Registry;
  const registry = new RegistryOf(Registry.OPENMETRICS_CONTENT_TYPE);
  const labelNames = ['method', 'route', 'status_code', 'outcome'];
  const duration = new Histogram<string>({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames,
    registers: [registry],
    enableExemplars: true,
  });
  const requests = new Counter<string>({
    name: 'http_requests_total',
    help: 'HTTP requests',
    labelNames,
    registers: [registry],
    enableExemplars: true,
  });
  handWired = (request, response) => {
    const started = performance.now();
    const tracked = request as HandWiredRequest;
    const given = request.headers['x-correlation-id'];
    tracked.correlationId = typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
    response.setHeader('x-correlation-id', tracked.correlationId);
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(
      'GET /orders/:id',
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': 'GET',
          'http.route': '/orders/:id',
          'url.path': request.url,
          correlation_id: tracked.correlationId,
        },
      },
      parent,
    );
    tracked.span = span;
    response.once('finish', () => {
      const status = response.statusCode;
      span.setAttribute('http.response.status_code', status);
      span.end();
      const { traceId, spanId } = span.spanContext();
      const labels = { method: 'GET', route: '/orders/:id', status_code: String(status), outcome: 'success' };
      const exemplarLabels = { trace_id: traceId, span_id: spanId };
      duration.observe({ labels, value: (performance.now() - started) / 1000, exemplarLabels });
      requests.inc({ labels, value: 1, exemplarLabels });
    });
    logger(request, response);
    active.run(trace.setSpan(parent, span), handler, request, response);
  };
};

// A reference, not a peer: the least code giving the same three signals by hand, without any of
// the checks (bench/http-adapters/support/minimal-signals.ts).
let minimal: MinimalSignals | undefined;
const minimalSetup = () => {
  minimal ??= minimalSignals(join(directory, 'minimal.log'));
};
const withMinimal: Listener = (request, response) =>
  minimal!.request(
    request,
    response,
    () => '/orders/:id',
    () => handler(request, response),
  );

const unobserved = instrumentHandler(handler, { route: () => '/orders/:id' });
const observed = instrumentHandler(handler, { route: () => '/orders/:id' });
const signals = signalsSetupIn(directory);
const shape = `Each request is new: a real IncomingMessage and ServerResponse (the response buffered), a handler answering a small JSON body, then \`finish\` and \`close\` emitted as node:http emits them; ${PER_CALL} requests per call, then one event-loop turn (log writes and span exports run there). ${ROUNDS_TEXT}`;

// The cases of the suites with signals, each request served by `serve` (one after another, or in flight together).
const signalCases = (serve: typeof batch) => [
  { name: 'bare listener', baseline: true, fn: serve(() => handler) },
  {
    name: 'hand-wired: pino-http + prom-client + OpenTelemetry span',
    setup: handWiredSetup,
    fn: serve(() => handWired ?? handler),
  },
  {
    name: 'minimal by hand: the same three signals, no checks (a reference)',
    setup: minimalSetup,
    fn: serve(() => (minimal === undefined ? handler : withMinimal)),
  },
  { name: '@jts/http with logger, metrics and tracing', setup: signals.setup, fn: serve(() => observed) },
];

// Three suites, in this order: once created, the signals observe every run in the process, so the
// lifecycle alone is measured before they exist.
await compare({
  suite: 'http-request-lifecycle-unobserved',
  title: '@jts/http: one request in process (no network), the lifecycle alone',
  description: `One request through a \`node:http\` request listener without sockets or a load generator, so the figure is the adapter's own work per request (bench/http-adapters measures whole servers under load). ${shape} Cases: the **bare listener** (baseline) and \`instrumentHandler\` with **no signal created** in the process: the correlation ID (generated, echoed), the context, the run's lifecycle and its timeout.`,
  operationsPerCall: PER_CALL,
  time: 3200,
  rounds: ROUNDS,
  cases: [
    { name: 'bare listener', baseline: true, fn: batch(() => handler) },
    { name: '@jts/http, no signal created', fn: batch(() => unobserved) },
  ],
});
await compare({
  suite: 'http-request-lifecycle',
  title: '@jts/http: one request in process (no network), with signals, against the hand-wired stack',
  description: `The same requests as the suite before, with signals. ${shape} Cases: the **bare listener** (baseline); the **hand-wired** stack doing the same work by hand (a correlation ID, new or the caller's, echoed; an OpenTelemetry server span continuing \`traceparent\`, active in an AsyncLocalStorage while the handler runs, batched to a discarding exporter; pino-http's access line to a file with the correlation ID and the span's IDs; a prom-client histogram and counter with the span's IDs as exemplars); the **minimal** signals by hand, a reference rather than a peer (the caller's correlation ID taken as it is, or a new UUID; an SDK span continuing \`traceparent\`; a prom-client histogram and counter; a JSON line from one template string, a turn's lines in one write; no validation, redaction, exemplars, outcomes or error path: bench/http-adapters/support/minimal-signals.ts); \`instrumentHandler\` with **the logger, the metrics and tracing** created (the access line to a file, the request histogram and counter, a sampled server span to a discarding exporter).`,
  operationsPerCall: PER_CALL,
  time: 3200,
  rounds: ROUNDS,
  cases: signalCases(batch),
});
// The same cases with the requests of a call in flight together (as under load, where a server
// has many connections' requests open at once): what a request costs when the code it runs last
// ran for another request, which the suites above, serving one request after another, do not show.
await compare({
  suite: 'http-request-lifecycle-in-flight',
  title: '@jts/http: one request in process (no network), with signals, in flight with others',
  description: `The requests and the cases of the suite "@jts/http: one request in process (no network), with signals, against the hand-wired stack", with the ${PER_CALL} requests of a call in flight together, as a server under load has them (the load benchmark keeps 50 connections busy): every request of the call is started (its listener runs and answers), then \`finish\` and \`close\` are emitted for each, in the order the requests came, then one event-loop turn. Each request's end then comes after other requests' work, so code that keeps only the last thing it saw (a context, a span, a correlation ID) meets another request's, as under load. ${ROUNDS_TEXT}`,
  operationsPerCall: PER_CALL,
  time: 3200,
  rounds: ROUNDS,
  cases: signalCases(batchInFlight),
});
await signals.close();
await minimal?.stop();
rmSync(directory, { recursive: true, force: true });
