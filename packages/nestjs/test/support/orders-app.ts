/**
 * The NestJS application every test of @jts/nestjs runs, on Express or Fastify, with the NestJS
 * major of its vitest project (`unit:nestjs@10|11|12` resolve `@nestjs/*` from a fixture).
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  ForbiddenException,
  Get,
  HttpException,
  Inject,
  Injectable,
  Module,
  Param,
  Post,
  Body,
  SetMetadata,
  UnauthorizedException,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
// biome-ignore lint/style/useImportType: Nest injects by the constructor's parameter types, which decorator metadata keeps as values.
import { NestFactory, Reflector } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { correlationId } from '@jts/core';
import { JtsLoggerService, JtsModule, type JtsModuleOptions, TraceOrder, TraceStrategy } from '@jts/nestjs';

/** The two HTTP platforms of NestJS. */
export type Platform = 'express' | 'fastify';
export const PLATFORMS: readonly Platform[] = ['express', 'fastify'];

export const ROLES = 'roles';
/** Role metadata a guard reads, as applications write their `@Roles()`. */
export const Roles = (...roles: string[]) => SetMetadata(ROLES, roles);

/** Lets a request through when its `x-role` header holds one of the handler's roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.get<string[] | undefined>(ROLES, context.getHandler());
    if (roles === undefined) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    if (request.headers.authorization === undefined) throw new UnauthorizedException();
    if (!roles.includes(request.headers['x-role'] ?? '')) throw new ForbiddenException(`guard saw ${correlationId()}`);
    return true;
  }
}

/** Signals the test a slow handler has started. */
export const SLOW_STARTED = Symbol('slow-started');

@Injectable()
export class OrderService {
  @Roles('trader')
  @TraceOrder((id: string) => ({ orderId: `o-${id}`, symbol: 'AAPL', side: 'buy' }))
  async submit(id: string): Promise<{ id: string; correlationId: string | undefined }> {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    return { id, correlationId: correlationId() };
  }
}

@Controller('orders')
@UseGuards(RolesGuard)
export class OrdersController {
  constructor(
    private readonly orders: OrderService,
    @Inject(SLOW_STARTED) private readonly slowStarted: { notify: () => void },
  ) {}

  @Get(':id')
  get(@Param('id') id: string) {
    return this.orders.submit(id);
  }

  @Post()
  create(@Body() body: { id: string }) {
    return { received: body.id, correlationId: correlationId() };
  }

  @Get(':id/fail')
  fail(): never {
    throw new TypeError('bad order payload');
  }

  @Get(':id/teapot')
  teapot(): never {
    throw new HttpException('short and stout', 418);
  }

  @Get(':id/slow')
  async slow() {
    this.slowStarted.notify();
    await new Promise((resolve) => setTimeout(resolve, 300));
    return 'too late';
  }

  // Role metadata written after the method is wrapped (decorator above) ...
  @Roles('admin')
  @TraceStrategy({ strategyId: 'cancel' })
  @Get(':id/cancel')
  cancel(@Param('id') id: string) {
    return { cancelled: id, correlationId: correlationId() };
  }

  // ... and before (decorator below): the guard sees the roles either way.
  @Get(':id/amend')
  @TraceStrategy({ strategyId: 'amend' })
  @Roles('admin')
  amend(@Param('id') id: string) {
    return { amended: id, correlationId: correlationId() };
  }
}

@Controller()
export class HealthController {
  @Get('healthz')
  health() {
    return 'ok';
  }
}

/** A running application and its base URL. */
export interface RunningApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly port: number;
  /** Resolves when the next `/:id/slow` request reaches its handler. */
  slowStarted(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:0 with a backlog for 2,000 simultaneous connections: with Node's default
 * (511) a burst of connections overflows the accept queue and clients wait out SYN retries (1 s each).
 */
export async function listenOnLoopback(app: INestApplication, platform: Platform): Promise<void> {
  await app.init();
  if (platform === 'fastify') await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  const server = app.getHttpServer() as import('node:http').Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, () => resolve());
  });
  // What app.listen() does once listening: write out the logs buffered by `bufferLogs`.
  app.flushLogs();
}

/**
 * Starts the orders application on 127.0.0.1:0 with JtsModule and Nest's logs through JtsLoggerService.
 *
 * @param platform - express or fastify
 * @param options - JtsModule options (the signals)
 * @param prefix - global route prefix (default: the platform's name, so two apps' series never mix)
 */
export async function startOrdersApp(
  platform: Platform,
  options: JtsModuleOptions,
  prefix: string = platform,
): Promise<RunningApp> {
  let waiting: (() => void)[] = [];
  const slow = {
    notify: () => {
      for (const resolve of waiting.splice(0)) resolve();
    },
  };

  @Module({
    imports: [JtsModule.forRoot(options)],
    controllers: [OrdersController, HealthController],
    providers: [OrderService, RolesGuard, { provide: SLOW_STARTED, useValue: slow }],
  })
  class AppModule {}

  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = await NestFactory.create(AppModule, adapter as never, { bufferLogs: true });
  app.useLogger(app.get(JtsLoggerService));
  app.setGlobalPrefix(prefix, { exclude: ['healthz'] });
  await listenOnLoopback(app, platform);
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    port,
    url: `http://127.0.0.1:${port}`,
    slowStarted: () => new Promise<void>((resolve) => waiting.push(resolve)),
    async close() {
      app.getHttpServer().closeAllConnections?.();
      await app.close();
      waiting = [];
    },
  };
}
