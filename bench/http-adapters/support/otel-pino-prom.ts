/**
 * What services assemble today for the same work: OpenTelemetry's Node tracer with the `http`
 * (and, for Express, `express`) auto-instrumentation exporting every sampled span to a discarding
 * exporter, pino-http writing an access line per request to the file in `LOG_FILE`, and a
 * prom-client histogram of request durations labelled by method, route and status.
 * Call `startOtelPinoProm` before requiring `node:http` or `express`, as those instrumentations require.
 */
import { createRequire } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import pino from 'pino';
import pinoHttp, { type HttpLogger } from 'pino-http';
import { Histogram, Registry } from 'prom-client';
import { DiscardingExporter } from './discarding-exporter.js';
import { logFile } from './serve.js';

/** The pieces a case wires into its server. */
export interface OtelPinoProm {
  /** Loads a module through `require`, where the instrumentations patch it. */
  readonly require: NodeJS.Require;
  readonly httpLogger: HttpLogger;
  readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  stop(): Promise<void>;
}

/**
 * Starts tracing, logging and metrics.
 *
 * @param express - also instrument Express
 * @returns the pieces and a function that flushes them
 */
export function startOtelPinoProm(express: boolean): OtelPinoProm {
  const exporter = new DiscardingExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  provider.register();
  registerInstrumentations({
    instrumentations: [new HttpInstrumentation(), ...(express ? [new ExpressInstrumentation()] : [])],
  });
  const destination = pino.destination({ dest: logFile(), sync: false });
  const httpLogger = pinoHttp({ logger: pino(destination) }) as unknown as HttpLogger;
  const registry = new Registry();
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  return {
    require: createRequire(import.meta.url),
    httpLogger,
    duration,
    async stop() {
      await provider.shutdown();
      destination.flushSync();
      process.stderr.write(`spans exported: ${exporter.exported}\n`);
    },
  };
}
