import { ConsoleLogger, type LoggerService, type LogLevel } from '@nestjs/common';
import type { StructuredLogger } from './module-options.js';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

// Nest's levels onto pino's: `verbose` is the chattiest, as pino's `trace`.
const LEVELS: Readonly<Record<LogLevel, Level>> = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};

const looksLikeStack = (value: unknown): value is string => typeof value === 'string' && /\n\s+at /.test(value);

/**
 * Nest's `LoggerService` on the `@jts/log` logger: Nest's own logs (bootstrap, routes, the
 * `Logger` your services use) become structured lines with the correlation ID and trading fields
 * of the context they are written in. The Nest context (`RoutesResolver`, your class name) is the
 * `nest.context` field. Without a logger it forwards to Nest's `ConsoleLogger`.
 *
 * @example
 * const app = await NestFactory.create(AppModule, { bufferLogs: true });
 * app.useLogger(app.get(JtsLoggerService));
 */
export class JtsLoggerService implements LoggerService {
  private enabled: ReadonlySet<LogLevel> | undefined = undefined;
  private readonly fallback: ConsoleLogger | undefined;

  /** @param logger - the `@jts/log` logger; undefined forwards to Nest's console logger */
  constructor(private readonly logger: StructuredLogger | undefined) {
    this.fallback = logger === undefined ? new ConsoleLogger() : undefined;
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('log', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('verbose', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  /** Keeps only these Nest levels (also what `app.useLogger(['error', 'warn'])` does once this service is the logger). */
  setLogLevels(levels: LogLevel[]): void {
    this.enabled = new Set(levels);
    this.fallback?.setLogLevels(levels);
  }

  private write(nestLevel: LogLevel, message: unknown, params: unknown[]): void {
    if (this.enabled !== undefined && !this.enabled.has(nestLevel)) return;
    if (this.logger === undefined) {
      (this.fallback![nestLevel] as (message: unknown, ...rest: unknown[]) => void).call(
        this.fallback,
        message,
        ...params,
      );
      return;
    }
    // Nest passes the context (a class name) last: `log(message, context)`, `error(message, stack, context)`.
    const last = params[params.length - 1];
    const rest = typeof last === 'string' && !looksLikeStack(last) ? params.slice(0, -1) : params;
    const context = rest === params ? undefined : (last as string);
    const fields: Record<string, unknown> = {};
    if (context !== undefined) fields['nest.context'] = context;
    let text: string | undefined;
    if (message instanceof Error) {
      fields.err = message;
      text = message.message;
    } else if (message !== null && typeof message === 'object') {
      Object.assign(fields, message);
    } else {
      text = String(message);
    }
    const extra = [...rest];
    if (nestLevel === 'error' || nestLevel === 'fatal') {
      const stackAt = extra.findIndex(looksLikeStack);
      if (stackAt !== -1 && fields.err === undefined)
        fields.error = { message: text, stack_trace: extra.splice(stackAt, 1)[0] };
    }
    if (extra.length > 0) fields['nest.arguments'] = extra;
    try {
      this.logger[LEVELS[nestLevel]](fields, text);
    } catch {
      // A log call never fails the code that made it.
    }
  }
}
