import {
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef, ModulesContainer } from '@nestjs/core';
import { JtsLoggerService } from './jts-logger-service.js';
import type { JtsModuleAsyncOptions, JtsModuleOptions } from './module-options.js';
import { JtsRuntime } from './internal/jts-runtime.js';
import { JTS_LOGGER, JTS_METRICS, JTS_MODULE_OPTIONS, JTS_TRACING } from './tokens.js';

const EXPORTS = [JTS_LOGGER, JTS_METRICS, JTS_TRACING, JtsLoggerService];

// The runtime is built while Nest creates the application (providers are instantiated before
// `app.init()` registers body parsers, middleware and routes), so the HTTP instrumentation runs first.
const providers: Provider[] = [
  {
    provide: JtsRuntime,
    useFactory: (
      options: JtsModuleOptions,
      adapterHost: HttpAdapterHost | undefined,
      moduleRef: ModuleRef,
      modules: ModulesContainer,
    ) => JtsRuntime.start(options ?? {}, adapterHost, moduleRef, modules),
    inject: [JTS_MODULE_OPTIONS, HttpAdapterHost, ModuleRef, ModulesContainer],
  },
  { provide: JTS_LOGGER, useFactory: (runtime: JtsRuntime) => runtime.logger, inject: [JtsRuntime] },
  { provide: JTS_METRICS, useFactory: (runtime: JtsRuntime) => runtime.metrics, inject: [JtsRuntime] },
  { provide: JTS_TRACING, useFactory: (runtime: JtsRuntime) => runtime.tracing, inject: [JtsRuntime] },
  {
    provide: JtsLoggerService,
    useFactory: (runtime: JtsRuntime) => new JtsLoggerService(runtime.logger),
    inject: [JtsRuntime],
  },
];

/**
 * The JTS module: every HTTP request of the application (Express or Fastify) becomes one
 * `http.server.request` run observed by the logger, metrics and tracing you give it; microservice
 * handlers run in the context of their message's headers; Nest's own logs go to your logger
 * through {@link JtsLoggerService}. Global: import it once, in the root module.
 *
 * @example
 * @Module({ imports: [JtsModule.forRoot({ logger: () => createLogger(), metrics: () => createTradingMetrics(), tracing: () => initTracing() })] })
 * export class AppModule {}
 */
@Module({})
export class JtsModule implements NestModule {
  /**
   * @param runtime - what the module set up for this application
   * @param adapterHost - the application's HTTP adapter
   */
  constructor(
    @Inject(JtsRuntime) private readonly runtime: JtsRuntime,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Instruments the HTTP platform now if it did not exist when the application was created (@nestjs/testing). */
  configure(_consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter) this.runtime.instrumentHttp(adapter);
  }

  /**
   * The module with options known up front.
   *
   * @param options - signals (objects or factories) and HTTP options; see {@link JtsModuleOptions}
   * @returns the dynamic module
   */
  static forRoot(options: JtsModuleOptions = {}): DynamicModule {
    return {
      module: JtsModule,
      global: true,
      providers: [{ provide: JTS_MODULE_OPTIONS, useValue: options }, ...providers],
      exports: EXPORTS,
    };
  }

  /**
   * The module with options built by a factory (from `ConfigService`, say).
   *
   * @param options - `imports`, `inject` and `useFactory` returning {@link JtsModuleOptions}
   * @returns the dynamic module
   * @example
   * JtsModule.forRootAsync({ inject: [ConfigService], useFactory: (config: ConfigService) => ({ exclude: config.get('EXCLUDE') }) })
   */
  static forRootAsync(options: JtsModuleAsyncOptions): DynamicModule {
    return {
      module: JtsModule,
      global: true,
      imports: (options.imports ?? []) as DynamicModule['imports'],
      providers: [
        {
          provide: JTS_MODULE_OPTIONS,
          useFactory: options.useFactory as (...args: unknown[]) => JtsModuleOptions,
          inject: (options.inject ?? []) as never[],
        },
        ...providers,
      ],
      exports: EXPORTS,
    };
  }
}
