import type { HeaderCarrier } from '@jts/core';
import type { HttpInstrumentationOptions } from '@jts/http';

/**
 * The logger `JtsModule` writes Nest's own logs to: the pino-compatible subset of the `@jts/log`
 * logger (`createLogger`), typed structurally so this package does not depend on `@jts/log`.
 */
export interface StructuredLogger {
  trace(fields: object, message?: string): void;
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  fatal(fields: object, message?: string): void;
}

/** A signal given ready-made, or a factory the module calls once (and closes when the last app using it closes). */
export type SignalSource<T> = T | (() => T | Promise<T>);

/** Where `JtsModule` finds the headers of a microservice message, and what it runs the handler in. */
export interface MessageContextOptions {
  /**
   * Reads a message's headers. Default: the transport's own headers (Kafka message headers, NATS
   * headers, RabbitMQ `properties.headers`, MQTT 5 user properties, gRPC metadata), else a
   * `headers` object in the payload (TCP and Redis packets have no headers of their own).
   */
  readonly headers?: (data: unknown, context: unknown) => HeaderCarrier | undefined;
  /**
   * Runs the handler inside more context than the correlation ID, for example the OpenTelemetry
   * parent read from the same headers with `@jts/trace`'s `extractKafkaContext`. Default: none.
   */
  readonly around?: <R>(headers: HeaderCarrier | undefined, handle: () => R) => R;
}

/** Options of {@link JtsModule.forRoot}: the signals, and the HTTP options shared by every JTS adapter. */
export interface JtsModuleOptions extends Omit<HttpInstrumentationOptions, 'route'> {
  /** The `@jts/log` logger, or a factory of it. `JtsLoggerService` writes Nest's logs to it. Default: none (Nest's console logger). */
  readonly logger?: SignalSource<StructuredLogger>;
  /** The `@jts/metrics` `createTradingMetrics()` result, or a factory of it; injectable as `JTS_METRICS`. Default: none. */
  readonly metrics?: SignalSource<object>;
  /** The `@jts/trace` `initTracing()` result, or a factory of it; injectable as `JTS_TRACING`. Default: none. */
  readonly tracing?: SignalSource<object>;
  /** Observe HTTP requests (Express and Fastify platforms). Default `true`. */
  readonly http?: boolean;
  /** Run microservice handlers in the context of their message's headers; `false` leaves them alone. Default `true`. */
  readonly microservices?: boolean | MessageContextOptions;
}

/** Options of {@link JtsModule.forRootAsync}: options built by a factory with injected dependencies. */
export interface JtsModuleAsyncOptions {
  /** Modules whose providers the factory injects (e.g. `ConfigModule`). */
  readonly imports?: unknown[];
  /** Tokens of the factory's arguments. */
  readonly inject?: unknown[];
  /** Builds the options. */
  useFactory(...dependencies: never[]): JtsModuleOptions | Promise<JtsModuleOptions>;
}
