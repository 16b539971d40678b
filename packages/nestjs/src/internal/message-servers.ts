import type { MessageContextOptions } from '../module-options.js';
import { runMessage } from '../message-context.js';

/** A message handler as Nest's microservice servers keep it. */
interface MessageHandler {
  (this: unknown, data: unknown, context?: unknown, ...rest: unknown[]): unknown;
  isEventHandler?: boolean;
  extras?: unknown;
  next?: MessageHandler;
}

/** The method every Nest transport server (`Server` and its subclasses) looks handlers up with. */
export interface MessageServer {
  getHandlerByPattern(pattern: unknown): MessageHandler | null | undefined;
}

/** How one module runs messages. */
export interface MessageSettings {
  readonly options: MessageContextOptions;
  readonly correlationHeader: string;
}

const WRAPPED = Symbol.for('jts.nestjs.message-server.v1');

function wrapHandler(handler: MessageHandler, settings: MessageSettings): MessageHandler {
  const wrapped: MessageHandler = function (this: unknown, data, context, ...rest) {
    return runMessage(data, context, settings.options, settings.correlationHeader, () =>
      handler.call(this, data, context, ...rest),
    );
  };
  // Nest reads these on the handler it looked up (event handlers chained on one pattern, transport extras).
  Object.defineProperties(wrapped, {
    isEventHandler: { get: () => handler.isEventHandler, set: (value: boolean) => (handler.isEventHandler = value) },
    extras: { get: () => handler.extras, set: (value: unknown) => (handler.extras = value) },
    next: { get: () => handler.next, set: (value: MessageHandler) => (handler.next = value) },
  });
  return wrapped;
}

/**
 * Makes a transport server run each handler it looks up (guards, interceptors, pipes and the
 * handler itself, for every transport) inside the context of the message's headers: the
 * equivalent of wrapping `ServerKafka.handleMessage`, for every transport at once. Works on a
 * server instance, or on `Server.prototype` where servers cannot be reached one by one (NestJS 10).
 *
 * @param server - a server instance or the `Server` prototype
 * @param settings - the settings in force, read per message (undefined: run the handler as is)
 * @returns false when the server was already instrumented or has no handler lookup
 */
export function instrumentMessageServer(server: MessageServer, settings: () => MessageSettings | undefined): boolean {
  const marked = server as MessageServer & { [WRAPPED]?: true };
  if (typeof server.getHandlerByPattern !== 'function' || Object.hasOwn(marked, WRAPPED)) return false;
  marked[WRAPPED] = true;
  const lookup = server.getHandlerByPattern;
  const wrappers = new WeakMap<MessageHandler, { settings: MessageSettings; wrapped: MessageHandler }>();
  server.getHandlerByPattern = function getHandlerByPattern(this: MessageServer, pattern: unknown) {
    const handler = lookup.call(this, pattern);
    const current = settings();
    if (typeof handler !== 'function' || current === undefined) return handler;
    let entry = wrappers.get(handler);
    if (entry === undefined || entry.settings !== current) {
      entry = { settings: current, wrapped: wrapHandler(handler, current) };
      wrappers.set(handler, entry);
    }
    return entry.wrapped;
  };
  return true;
}
