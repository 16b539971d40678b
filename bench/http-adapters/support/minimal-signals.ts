/**
 * A reference, not a peer: the least code that gives every request the same three signals by hand,
 * with the same libraries, and nothing else. Per request: a correlation ID (the caller's header as
 * it is, or `randomUUID()`) echoed in the response; a context in an AsyncLocalStorage while the
 * handler runs; an OpenTelemetry SDK server span continuing `traceparent`, batched to a discarding
 * exporter; when the response finishes, a prom-client histogram and counter by method, route and
 * status, and a JSON access line built by one template string, a turn's lines written to the file
 * in one synchronous write. No validation of what the caller sent, no redaction, no exemplars, no
 * outcome for an aborted or never-ending response, no error path, no report of a failing write.
 * It shows how much of a cost goal the signals themselves take before anything an SDK adds: the
 * "Cost" sections of docs/guides/node-http.md and docs/guides/express.md read the goals against it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, type Span, SpanKind, defaultTextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Counter, Histogram, Registry } from 'prom-client';
import { DiscardingExporter } from './discarding-exporter.js';

/** What the handler runs in. */
interface MinimalContext {
  readonly correlationId: string;
  readonly span: Span;
}

/** The signals, ready to wrap a request. */
export interface MinimalSignals {
  /**
   * Starts a request's signals and runs `serve` in its context; `route` is read when the response
   * finishes (a framework's template, or the handler's own).
   */
  request(request: IncomingMessage, response: ServerResponse, route: () => string, serve: () => void): void;
  /** Writes what is pending, shuts the tracer down and closes the file. */
  stop(): Promise<void>;
}

/**
 * Creates the minimal signals.
 *
 * @param file - the access log file
 * @returns the signals
 */
export function minimalSignals(file: string): MinimalSignals {
  const exporter = new DiscardingExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  const tracer = provider.getTracer('bench-orders');
  const propagator = new W3CTraceContextPropagator();
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status_code'];
  const duration = new Histogram<string>({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames,
    registers: [registry],
  });
  const requests = new Counter<string>({
    name: 'http_requests_total',
    help: 'HTTP requests',
    labelNames,
    registers: [registry],
  });
  const context = new AsyncLocalStorage<MinimalContext>();
  const fd = openSync(file, 'a');
  let pending = '';
  let scheduled = false;
  const write = () => {
    scheduled = false;
    if (pending === '') return;
    writeSync(fd, pending);
    pending = '';
  };
  return {
    request(request, response, route, serve) {
      const started = performance.now();
      const given = request.headers['x-correlation-id'];
      const correlationId = typeof given === 'string' && given !== '' ? given : randomUUID();
      response.setHeader('x-correlation-id', correlationId);
      const parent = propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter);
      const method = request.method ?? 'GET';
      const path = request.url ?? '/';
      const span = tracer.startSpan(
        method,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path } },
        parent,
      );
      response.once('finish', () => {
        const seconds = (performance.now() - started) / 1000;
        const status = response.statusCode;
        const template = route();
        span.updateName(`${method} ${template}`);
        span.setAttributes({ 'http.route': template, 'http.response.status_code': status });
        span.end();
        const labels = { method, route: template, status_code: status };
        duration.observe(labels, seconds);
        requests.inc(labels);
        const { traceId, spanId } = span.spanContext();
        pending += `{"@timestamp":"${new Date().toISOString()}","log.level":"info","service.name":"bench-orders","correlation_id":${JSON.stringify(correlationId)},"trace.id":"${traceId}","span.id":"${spanId}","http.request.method":${JSON.stringify(method)},"http.route":${JSON.stringify(template)},"url.path":${JSON.stringify(path)},"http.response.status_code":${status},"event.duration":${Math.round(seconds * 1e9)},"message":${JSON.stringify(`${method} ${template} ${status}`)}}\n`;
        if (!scheduled) {
          scheduled = true;
          setImmediate(write);
        }
      });
      context.run({ correlationId, span }, serve);
    },
    async stop() {
      write();
      await provider.shutdown();
      closeSync(fd);
      process.stderr.write(`spans exported: ${exporter.exported}\n`);
    },
  };
}
