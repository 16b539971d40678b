import type { OnApplicationShutdown } from '@nestjs/common';
import type { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { reportDiagnostic } from '@jts/core';
import { type HttpSettings, resolveHttpSettings } from '@jts/http';
import { JtsExceptionFilter, type TransportFallback } from '../jts-exception-filter.js';
import type { JtsModuleOptions, MessageContextOptions, SignalSource, StructuredLogger } from '../module-options.js';
import { type ExpressApp, instrumentExpress } from './express-requests.js';
import { type FastifyInstanceLike, instrumentFastify } from './fastify-requests.js';
import { type MessageServer, type MessageSettings, instrumentMessageServer } from './message-servers.js';
import { applicationConfigOf, optionalImport, rpcTargetsOf } from './nest-internals.js';
import { type HeldSignal, type SignalKind, holdSignal } from './owned-signals.js';

const FILTERED = Symbol.for('jts.nestjs.filter.v1');
const ACTIVE = Symbol.for('jts.nestjs.message-settings.v1');
type GlobalWithActive = typeof globalThis & { [ACTIVE]?: MessageSettings[] };
// NestJS 10 offers no way to reach its servers one by one: its Server prototype reads the settings of the latest module.
const activeSettings: MessageSettings[] = ((globalThis as GlobalWithActive)[ACTIVE] ??= []);
const latestSettings = () => activeSettings[activeSettings.length - 1];

async function transportFallbacks(): Promise<Record<string, TransportFallback | undefined>> {
  const [microservices, websockets] = await Promise.all([
    optionalImport(() => import('@nestjs/microservices')),
    optionalImport(() => import('@nestjs/websockets')),
  ]);
  return {
    rpc: microservices === undefined ? undefined : new microservices.BaseRpcExceptionFilter(),
    ws: websockets === undefined ? undefined : new websockets.BaseWsExceptionFilter(),
  };
}

/**
 * What `JtsModule` set up for one application, undone when the application shuts down: the
 * signals it holds, the request instrumentation of its HTTP platform, its fallback exception
 * filter and the message context of its microservices.
 */
export class JtsRuntime implements OnApplicationShutdown {
  private readonly stops: (() => void)[] = [];
  private http:
    | { settings: HttpSettings; moduleRef: ModuleRef; fallbacks: Record<string, TransportFallback | undefined> }
    | undefined = undefined;

  private constructor(
    private readonly held: {
      logger: HeldSignal<StructuredLogger>;
      metrics: HeldSignal<object>;
      tracing: HeldSignal<object>;
    },
  ) {}

  get logger(): StructuredLogger | undefined {
    return this.held.logger.value;
  }
  get metrics(): object | undefined {
    return this.held.metrics.value;
  }
  get tracing(): object | undefined {
    return this.held.tracing.value;
  }

  /** Sets up one application (called while Nest creates it, before its routes, body parsers and middleware). */
  static async start(
    options: JtsModuleOptions,
    adapterHost: HttpAdapterHost | undefined,
    moduleRef: ModuleRef,
    modules: unknown,
  ): Promise<JtsRuntime> {
    const settings = resolveHttpSettings(options); // bad options fail the start, before any signal is created
    const held: HeldSignal<unknown>[] = [];
    const hold = async <T>(kind: SignalKind, source: SignalSource<T> | undefined) => {
      const signal = await holdSignal(kind, source);
      held.push(signal);
      return signal;
    };
    let runtime: JtsRuntime;
    try {
      const tracing = await hold('tracing', options.tracing);
      const metrics = await hold('metrics', options.metrics);
      const logger = await hold('logger', options.logger);
      runtime = new JtsRuntime({ logger, metrics, tracing });
    } catch (error) {
      // A factory that throws leaves the signals already taken as they were.
      for (const signal of held.reverse()) await signal.release();
      throw error;
    }
    try {
      if (options.http !== false) {
        runtime.http = { settings, moduleRef, fallbacks: await transportFallbacks() };
        // Under @nestjs/testing the adapter is made later, by createNestApplication(): see instrumentHttp.
        if (adapterHost?.httpAdapter) runtime.instrumentHttp(adapterHost.httpAdapter);
      }
      if (options.microservices !== false) {
        const messageOptions: MessageContextOptions =
          typeof options.microservices === 'object' ? options.microservices : {};
        await runtime.instrumentMessages(
          { options: messageOptions, correlationHeader: settings.correlationHeader },
          modules,
        );
      }
    } catch (error) {
      await runtime.onApplicationShutdown();
      throw error;
    }
    return runtime;
  }

  /**
   * Instruments the application's HTTP platform, once. Called while Nest creates the application
   * (ahead of its body parsers, middleware and routes), or, when the adapter did not exist then
   * (`Test.createTestingModule(...).createNestApplication()`), from the module's `configure()`,
   * ahead of its routes but after Nest's body parsers.
   *
   * @param adapter - the application's HTTP adapter
   */
  instrumentHttp(adapter: NonNullable<HttpAdapterHost['httpAdapter']>): void {
    if (this.http === undefined) return;
    const { settings, moduleRef, fallbacks } = this.http;
    this.http = undefined;
    const type = adapter.getType();
    if (type === 'express') instrumentExpress(adapter.getInstance<ExpressApp>(), settings);
    else if (type === 'fastify') instrumentFastify(adapter.getInstance<FastifyInstanceLike>(), settings);
    else
      reportDiagnostic({
        source: 'nestjs',
        event: 'platform_unsupported',
        message: `HTTP platform ${type} is not instrumented (Express and Fastify are)`,
      });
    const config = applicationConfigOf(moduleRef) as
      | (ReturnType<typeof applicationConfigOf> & { [FILTERED]?: true })
      | undefined;
    if (config === undefined) {
      reportDiagnostic({
        source: 'nestjs',
        event: 'filter_not_installed',
        message: "the application configuration was not found: errors keep Nest's own handling",
      });
      return;
    }
    if (config[FILTERED]) return;
    config[FILTERED] = true;
    // First in the list: Nest consults global filters last-added first, so every filter of the
    // application (APP_FILTER providers, useGlobalFilters) comes before this one.
    const filter = new JtsExceptionFilter(adapter, fallbacks);
    const filters = config.getGlobalFilters?.();
    if (Array.isArray(filters)) filters.unshift(filter);
    else config.addGlobalFilter(filter);
  }

  private async instrumentMessages(settings: MessageSettings, modules: unknown): Promise<void> {
    const registry = rpcTargetsOf(modules);
    if (registry !== undefined) {
      let active = true;
      const subscription = registry
        .getRpcTargetRegistry()
        .subscribe((server) => instrumentMessageServer(server as MessageServer, () => (active ? settings : undefined)));
      this.stops.push(() => {
        active = false;
        subscription.unsubscribe();
      });
      return;
    }
    const microservices = await optionalImport(() => import('@nestjs/microservices'));
    if (microservices === undefined) return;
    // Server first: its subclasses that override the lookup (MQTT) or look handlers up another
    // way (gRPC) are wrapped on their own prototypes.
    const { Server } = microservices;
    instrumentMessageServer(Server.prototype as unknown as MessageServer, latestSettings);
    for (const exported of Object.values(microservices))
      if (typeof exported === 'function' && exported.prototype instanceof Server)
        instrumentMessageServer(exported.prototype as MessageServer, latestSettings);
    activeSettings.push(settings);
    this.stops.push(() => {
      const at = activeSettings.lastIndexOf(settings);
      if (at !== -1) activeSettings.splice(at, 1);
    });
  }

  /** Stops the message context and gives the signals back (the last app closes those the module created). */
  async onApplicationShutdown(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    await this.held.tracing.release();
    await this.held.metrics.release();
    await this.held.logger.release();
  }
}
