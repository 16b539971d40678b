/**
 * The NestJS cases of the HTTP adapter benchmark (`bench/http-adapters/servers/nest-*.ts`, issue
 * 12 item 5), following its contract: listen on 127.0.0.1 at `PORT` (0: a free port), print
 * `LISTENING <port>` once listening, answer `GET /orders/:id` with a small JSON body, write log
 * lines to the file in `LOG_FILE`, export sampled spans to a discarding exporter, stop on SIGTERM
 * after flushing. NestJS 11 on its Express platform, loaded from this package's dependencies.
 * Run under tsx (esbuild: no decorator metadata), so nothing here is injected by type.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** The three NestJS cases. */
export type NestCase = 'bare' | 'jts' | 'otel-pino-prom';

const requireHere = createRequire(import.meta.url);

/** The small JSON body every case answers with. */
export function orderBody(id: string): string {
  return JSON.stringify({ orderId: id, status: 'filled', symbol: 'AAPL', quantity: 100 });
}

function logFile(): string {
  const file = process.env.LOG_FILE;
  if (!file) throw new Error('LOG_FILE must name the file the log lines go to');
  return file;
}

/** Accepts every batch and drops it: the benchmark measures making and batching spans, not a collector. */
class DiscardingExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    this.exported += spans.length;
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** Builds the orders application with `imports`, from the Nest packages `load` returns (required after any instrumentation). */
async function ordersApp(imports: unknown[]): Promise<INestApplication> {
  const common = requireHere('@nestjs/common') as typeof import('@nestjs/common');
  const { NestFactory } = requireHere('@nestjs/core') as typeof import('@nestjs/core');
  const { ExpressAdapter } = requireHere('@nestjs/platform-express') as typeof import('@nestjs/platform-express');
  @common.Controller('orders')
  class OrdersController {
    @common.Get(':id')
    @common.Header('content-type', 'application/json')
    get(@common.Param('id') id: string): string {
      return orderBody(id);
    }
  }
  @common.Module({ imports: imports as never[], controllers: [OrdersController] })
  class AppModule {}
  return NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
}

async function jtsImports(): Promise<{ imports: unknown[]; stop: () => Promise<void> }> {
  const [{ JtsModule }, { createLogger }, { createTradingMetrics }, { initTracing }] = await Promise.all([
    import('../dist/index.js'),
    import('../../log/dist/index.js'),
    import('../../metrics/dist/index.js'),
    import('../../trace/dist/index.js'),
  ]);
  const exporter = new DiscardingExporter();
  const tracing = initTracing({ serviceName: 'bench-orders', exporter, flushOnExit: false, instrumentFetch: false });
  const metrics = createTradingMetrics({ defaultMetrics: false });
  const logger = createLogger({
    serviceName: 'bench-orders',
    destination: { file: logFile() },
    flushOnExit: false,
    operations: ['order.execution', 'http.server.request'],
  });
  return {
    imports: [JtsModule.forRoot({ logger, metrics, tracing })],
    async stop() {
      await tracing.shutdown();
      metrics.close();
      await logger.close();
      process.stderr.write(`spans exported: ${exporter.exported}, lines: ${logger.stats().total}\n`);
    },
  };
}

/** OpenTelemetry auto-instrumentation (http, express, nestjs-core), pino-http and a prom-client histogram: what services assemble today. */
async function otelPinoProm(): Promise<{ wire: (app: INestApplication) => void; stop: () => Promise<void> }> {
  const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = await import('@opentelemetry/instrumentation-express');
  const { NestInstrumentation } = await import('@opentelemetry/instrumentation-nestjs-core');
  const { BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
  const exporter = new DiscardingExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  provider.register();
  registerInstrumentations({
    instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation(), new NestInstrumentation()],
  });
  const pino = requireHere('pino') as typeof import('pino').default;
  const pinoHttp = requireHere('pino-http') as typeof import('pino-http').default;
  const { Histogram, Registry } = requireHere('prom-client') as typeof import('prom-client');
  const destination = pino.destination({ dest: logFile(), sync: false });
  const registry = new Registry();
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  type Routed = import('node:http').IncomingMessage & { route?: { path: string } };
  return {
    wire(app) {
      app.use(pinoHttp({ logger: pino(destination) }));
      app.use((request: Routed, response: import('node:http').ServerResponse, next: () => void) => {
        const end = duration.startTimer({ method: request.method });
        response.on('finish', () =>
          end({ route: request.route?.path ?? 'unmatched', status_code: response.statusCode }),
        );
        next();
      });
    },
    async stop() {
      await provider.shutdown();
      destination.flushSync();
      process.stderr.write(`spans exported: ${exporter.exported}\n`);
    },
  };
}

/**
 * Starts one case and serves it as the benchmark contract says.
 *
 * @param kind - which case
 */
export async function runNestCase(kind: NestCase): Promise<void> {
  let stop: () => Promise<void> = async () => {};
  let app: INestApplication;
  if (kind === 'jts') {
    const jts = await jtsImports();
    stop = jts.stop;
    app = await ordersApp(jts.imports);
  } else if (kind === 'otel-pino-prom') {
    // Before Nest, Express and node:http are required, as the instrumentations need.
    const stack = await otelPinoProm();
    stop = stack.stop;
    app = await ordersApp([]);
    stack.wire(app);
  } else {
    app = await ordersApp([]);
  }
  await app.init();
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
  });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(async () => {
      await app.close();
      await stop();
      process.exit(0);
    });
  });
}
