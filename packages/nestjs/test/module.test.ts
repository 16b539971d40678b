import 'reflect-metadata';
import type { ServerResponse } from 'node:http';
import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  Inject,
  Injectable,
  Module,
} from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@jts/log';
import { createTradingMetrics } from '@jts/metrics';
import { JTS_METRICS, JtsModule, type JtsModuleOptions, recordRequestError } from '@jts/nestjs';
import { createCapture } from '../../log/test/helpers/capture.js';
import { startTestTracing } from '../../trace/test/support/in-memory-tracing.js';
import { send, until } from '../../http/test/support/signals.js';
import { listenOnLoopback } from './support/orders-app.js';

@Controller('orders')
class OrdersController {
  @Get(':id')
  get() {
    return { ok: true };
  }

  @Get(':id/fail')
  fail(): never {
    throw new Error('ledger unavailable');
  }

  @Get(':id/range')
  range(): never {
    throw new RangeError('quantity out of range');
  }
}

@Injectable()
class MetricsReader {
  constructor(@Inject(JTS_METRICS) readonly metrics: { metrics(): Promise<string> }) {}
}

async function start(
  imports: unknown[],
  platform: 'express' | 'fastify' = 'express',
  extra: { providers?: unknown[] } = {},
) {
  @Module({
    imports: imports as never[],
    controllers: [OrdersController],
    providers: [MetricsReader, ...((extra.providers ?? []) as never[])],
  })
  class AppModule {}
  const app = await NestFactory.create(
    AppModule,
    (platform === 'express' ? new ExpressAdapter() : new FastifyAdapter()) as never,
    { logger: false, abortOnError: false },
  );
  await listenOnLoopback(app, platform);
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

/** Signals built by factories, as a service module would write them, counting the calls. */
function signalFactories() {
  const capture = createCapture();
  const calls = { logger: 0, metrics: 0, tracing: 0 };
  let registry: ReturnType<typeof createTradingMetrics>['registry'] | undefined;
  let tracing: ReturnType<typeof startTestTracing> | undefined;
  const options: JtsModuleOptions = {
    logger: () => {
      calls.logger++;
      return createLogger({
        serviceName: 'module-test',
        destination: { stream: capture.stream },
        flushOnExit: false,
        operations: ['http.server.request'],
      });
    },
    // A second call on the same registry would throw "already holds a catalog metric".
    metrics: () => {
      calls.metrics++;
      const metrics = createTradingMetrics({ defaultMetrics: false, registry });
      registry = metrics.registry;
      return metrics;
    },
    // A second initTracing while one is active throws JTS_ERR_TRACING_ACTIVE.
    tracing: () => {
      calls.tracing++;
      tracing = startTestTracing();
      return tracing;
    },
  };
  return { options, calls, capture, registry: () => registry, tracing: () => tracing };
}

describe('JtsModule', () => {
  it('lets a second application in the process reuse the signals its factories made, and closes them with the last one', async () => {
    const signals = signalFactories();
    const first = await start([JtsModule.forRoot(signals.options)], 'express');
    const second = await start([JtsModule.forRoot(signals.options)], 'fastify');
    expect(signals.calls).toEqual({ logger: 1, metrics: 1, tracing: 1 });
    expect(first.app.get(MetricsReader).metrics).toBe(second.app.get(MetricsReader).metrics);
    await Promise.all([
      send(`${first.url}/orders/1`, { headers: { 'x-correlation-id': 'first-app' } }),
      send(`${second.url}/orders/2`, { headers: { 'x-correlation-id': 'second-app' } }),
    ]);
    await until(() => signals.capture.records().length === 2, 'two access lines');
    expect(
      signals.capture
        .records()
        .map((line) => line.correlation_id)
        .sort(),
    ).toEqual(['first-app', 'second-app']);

    await first.app.close();
    // Still open for the second application.
    await send(`${second.url}/orders/3`, { headers: { 'x-correlation-id': 'after-first-closed' } });
    await until(() => signals.capture.records().length === 3, 'a third access line');
    expect(await signals.registry()!.metrics()).toContain('api_request_duration_seconds');

    await second.app.close();
    // Closed with the last application: the catalog metrics left the registry, tracing shut down.
    expect(await signals.registry()!.metrics()).not.toContain('api_request_duration_seconds');
    const third = await start([JtsModule.forRoot(signals.options)], 'express');
    expect(signals.calls).toEqual({ logger: 2, metrics: 2, tracing: 2 });
    await third.app.close();
  });

  it('takes its options from forRootAsync, with injected dependencies', async () => {
    const capture = createCapture();
    const logger = createLogger({
      serviceName: 'async-test',
      destination: { stream: capture.stream },
      flushOnExit: false,
      operations: ['http.server.request'],
    });
    @Module({ providers: [{ provide: 'EXCLUDED', useValue: ['/orders/hidden'] }], exports: ['EXCLUDED'] })
    class ConfigModule {}
    const { app, url } = await start([
      JtsModule.forRootAsync({
        imports: [ConfigModule],
        inject: ['EXCLUDED'],
        useFactory: (excluded: string[]) => ({ logger, exclude: excluded, correlationHeader: 'x-request-id' }),
      }),
    ]);
    try {
      const [shown, hidden] = await Promise.all([
        send(`${url}/orders/1`, { headers: { 'x-request-id': 'async-1' } }),
        send(`${url}/orders/hidden`),
      ]);
      expect([shown.headers['x-request-id'], hidden.headers['x-request-id']]).toEqual(['async-1', undefined]);
      await until(() => capture.records().length === 1, 'one access line');
      expect(capture.records().map((line) => [line.correlation_id, line['url.path']])).toEqual([
        ['async-1', '/orders/1'],
      ]);
    } finally {
      await app.close();
      await logger.close();
    }
  });

  it('observes each request once when imported twice', async () => {
    const capture = createCapture();
    const logger = createLogger({
      serviceName: 'twice',
      destination: { stream: capture.stream },
      flushOnExit: false,
      operations: ['http.server.request'],
    });
    // Different options, so Nest keeps two module instances rather than deduplicating them.
    @Module({ imports: [JtsModule.forRoot({ logger, echoCorrelationId: true })] })
    class FeatureModule {}
    const { app, url } = await start([JtsModule.forRoot({ logger }), FeatureModule], 'fastify');
    try {
      await send(`${url}/orders/1`, { headers: { 'x-correlation-id': 'once' } });
      await until(() => capture.records().length >= 1, 'the access line');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(capture.records().filter((line) => line.correlation_id === 'once')).toHaveLength(1);
    } finally {
      await app.close();
      await logger.close();
    }
  });

  it('fails the start on a bad option with a JtsError naming the option and its variable, before calling any factory', async () => {
    let calls = 0;
    const factory = () => {
      calls++;
      return {};
    };
    const failure = await start([JtsModule.forRoot({ metrics: factory, correlationHeader: 'bad header' })]).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({
      code: 'JTS_ERR_INVALID_OPTION',
      message: expect.stringContaining('JTS_HTTP_CORRELATION_HEADER'),
    });
    expect(calls).toBe(0);
  });

  it('observes an application made by @nestjs/testing, where the adapter comes after the providers, on both platforms', async () => {
    const capture = createCapture();
    const logger = createLogger({
      serviceName: 'e2e',
      destination: { stream: capture.stream },
      flushOnExit: false,
      operations: ['http.server.request'],
    });
    @Catch(RangeError)
    class RangeFilter implements ExceptionFilter {
      catch(_exception: RangeError, host: ArgumentsHost) {
        // The raw response on both platforms (Fastify's reply has it as `raw`).
        const reply = host.switchToHttp().getResponse<{ raw?: ServerResponse } & ServerResponse>();
        const response = reply.raw ?? reply;
        response.statusCode = 422;
        response.end('out of range');
      }
    }
    try {
      for (const platform of ['express', 'fastify'] as const) {
        const testing = await Test.createTestingModule({
          imports: [JtsModule.forRoot({ logger })],
          controllers: [OrdersController],
          providers: [{ provide: APP_FILTER, useClass: RangeFilter }],
        }).compile();
        const app = testing.createNestApplication(
          (platform === 'express' ? new ExpressAdapter() : new FastifyAdapter()) as never,
          { logger: false },
        );
        await listenOnLoopback(app, platform);
        const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
        const replies = await Promise.all(
          ['7', '7/fail', '7/range'].map((path) =>
            send(`${url}/orders/${path}`, {
              headers: { 'x-correlation-id': `e2e-${platform}-${path.replace('/', '-')}` },
            }),
          ),
        );
        expect(replies.map((reply) => reply.status)).toEqual([200, 500, 422]);
        expect(JSON.parse(replies[1]!.body).correlationId).toBe(`e2e-${platform}-7-fail`);
        await until(
          () =>
            capture.records().filter((line) => (line.correlation_id as string).startsWith(`e2e-${platform}`)).length ===
            3,
          'three access lines',
        );
        await app.close();
      }
      expect(
        capture.records().map((line) => [line.correlation_id, line['http.route'], line['http.response.status_code']]),
      ).toEqual(
        ['express', 'fastify'].flatMap((platform) => [
          [`e2e-${platform}-7`, '/orders/:id', 200],
          [`e2e-${platform}-7-fail`, '/orders/:id/fail', 500],
          [`e2e-${platform}-7-range`, '/orders/:id/range', 422],
        ]),
      );
    } finally {
      await logger.close();
    }
  });

  it('gives back the signals already made when a later factory throws', async () => {
    let tracing: ReturnType<typeof startTestTracing> | undefined;
    const failure = await start([
      JtsModule.forRoot({
        tracing: () => (tracing = startTestTracing()),
        logger: () => {
          throw new Error('log directory missing');
        },
      }),
    ]).catch((error: unknown) => error);
    expect((failure as Error).message).toBe('log directory missing');
    expect(tracing).toBeDefined();
    // The tracing made by the first factory was shut down: tracing can start again.
    const again = startTestTracing();
    await again.shutdown();
  });

  it("leaves the application's own filters in charge of the response; recordRequestError keeps their error on the access line", async () => {
    const capture = createCapture();
    const logger = createLogger({
      serviceName: 'filters',
      destination: { stream: capture.stream },
      flushOnExit: false,
      operations: ['http.server.request'],
    });
    @Catch()
    class AppFilter implements ExceptionFilter {
      catch(exception: unknown, host: ArgumentsHost) {
        recordRequestError(host, exception);
        host
          .switchToHttp()
          .getResponse<{ status(code: number): { json(body: unknown): void } }>()
          .status(503)
          .json({ problem: 'try later' });
      }
    }
    const { app, url } = await start([JtsModule.forRoot({ logger })], 'express', {
      providers: [{ provide: APP_FILTER, useClass: AppFilter }],
    });
    try {
      const reply = await send(`${url}/orders/1/fail`, { headers: { 'x-correlation-id': 'app-filter' } });
      expect([reply.status, JSON.parse(reply.body)]).toEqual([503, { problem: 'try later' }]);
      await until(() => capture.records().length === 1, 'the access line');
      const [line] = capture.records();
      expect([
        line!['http.response.status_code'],
        line!['jts.operation.status'],
        (line!.error as { message: string }).message,
      ]).toEqual([503, 'server_error', 'ledger unavailable']);
    } finally {
      await app.close();
      await logger.close();
    }
  });
});
