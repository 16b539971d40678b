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
const WRAPPED_GRPC = Symbol.for('jts.nestjs.grpc-server.v1');

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

type Lookup = (this: unknown, ...args: unknown[]) => MessageHandler | null | undefined;

/** Replaces `target[method]`, a handler lookup, by one returning the handler wrapped in the message context. */
function wrapLookup(
  target: Record<PropertyKey, unknown>,
  method: string,
  mark: symbol,
  settings: () => MessageSettings | undefined,
): boolean {
  const lookup = target[method];
  if (typeof lookup !== 'function' || Object.hasOwn(target, mark)) return false;
  target[mark] = true;
  const wrappers = new WeakMap<MessageHandler, { settings: MessageSettings; wrapped: MessageHandler }>();
  target[method] = {
    [method](this: unknown, ...args: unknown[]) {
      const handler = (lookup as Lookup).apply(this, args);
      const current = settings();
      if (typeof handler !== 'function' || current === undefined) return handler;
      let entry = wrappers.get(handler);
      if (entry === undefined || entry.settings !== current) {
        entry = { settings: current, wrapped: wrapHandler(handler, current) };
        wrappers.set(handler, entry);
      }
      return entry.wrapped;
    },
  }[method];
  return true;
}

/** True for Nest's gRPC server (`ServerGrpc`, or its prototype), whose services look handlers up elsewhere. */
const isGrpcServer = (server: object): boolean =>
  typeof (server as { createServiceMethod?: unknown }).createServiceMethod === 'function' &&
  typeof (server as { getMessageHandler?: unknown }).getMessageHandler === 'function';

/**
 * Makes a transport server run each handler it looks up (guards, interceptors, pipes and the
 * handler itself, for every transport) inside the context of the message's headers: the
 * equivalent of wrapping `ServerKafka.handleMessage`, for every transport at once. Every server
 * looks message handlers up with `getHandlerByPattern`, except gRPC's, which binds each service
 * method to its handler with `getMessageHandler(service, method, streaming, definition)`; both
 * are wrapped. Works on a server instance, or on the prototypes of `Server` and of its subclasses
 * where servers cannot be reached one by one (NestJS 10).
 *
 * @param server - a server instance, or the prototype of `Server` or of one of its subclasses
 * @param settings - the settings in force, read per message (undefined: run the handler as is)
 * @returns false when the server was already instrumented or has no handler lookup
 */
export function instrumentMessageServer(server: MessageServer, settings: () => MessageSettings | undefined): boolean {
  const target = server as unknown as Record<PropertyKey, unknown>;
  // A subclass prototype that inherits the lookup `Server.prototype` already wraps is left alone;
  // one that overrides it (`ServerMqtt`, for MQTT wildcards) is wrapped too.
  const patterns =
    (Object.hasOwn(target, 'getHandlerByPattern') || !(WRAPPED in target)) &&
    wrapLookup(target, 'getHandlerByPattern', WRAPPED, settings);
  const grpc = isGrpcServer(server) && wrapLookup(target, 'getMessageHandler', WRAPPED_GRPC, settings);
  return patterns || grpc;
}
