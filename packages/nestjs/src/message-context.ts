import type { ExecutionContext } from '@nestjs/common';
import { type HeaderCarrier, runFromHeaders } from '@jts/core';
import { Observable } from 'rxjs';
import type { MessageContextOptions } from './module-options.js';

/** Calls a getter of a transport context when it has one (`getMessage`, `getHeaders`, `getPacket`). */
const call = (target: unknown, method: string): unknown => {
  const fn = (target as Record<string, unknown> | null | undefined)?.[method];
  return typeof fn === 'function' ? fn.call(target) : undefined;
};
const isCarrier = (value: unknown): value is HeaderCarrier => value !== null && typeof value === 'object';

/**
 * The headers of a microservice message, whatever its transport: Kafka message headers, NATS
 * headers, RabbitMQ `properties.headers`, MQTT 5 user properties, gRPC metadata; for TCP and
 * Redis, whose packets carry no headers, a `headers` object in the payload.
 *
 * @param data - the message payload
 * @param context - the transport context Nest passes to handlers (`KafkaContext`, `NatsContext`, ...)
 * @returns the headers, or undefined
 * @example
 * messageHeaders({ orderId: 'o-1', headers: injectHeaders({}) }, tcpContext);
 */
export function messageHeaders(data: unknown, context: unknown): HeaderCarrier | undefined {
  const message = call(context, 'getMessage') as { headers?: unknown; properties?: { headers?: unknown } } | undefined;
  if (isCarrier(message?.headers)) return message.headers;
  if (isCarrier(message?.properties?.headers)) return message.properties.headers;
  const nats = call(context, 'getHeaders');
  if (isCarrier(nats)) return nats;
  const packet = call(context, 'getPacket') as { properties?: { userProperties?: unknown } } | undefined;
  if (isCarrier(packet?.properties?.userProperties)) return packet.properties.userProperties;
  // gRPC passes its Metadata (with get/getMap) as the handler's second argument.
  if (
    isCarrier(context) &&
    typeof (context as { getMap?: unknown }).getMap === 'function' &&
    typeof (context as { get?: unknown }).get === 'function'
  )
    return context;
  const inPayload = (data as { headers?: unknown } | null | undefined)?.headers;
  return isCarrier(inPayload) ? inPayload : undefined;
}

/** The one way a message is run in its context: correlation ID from its headers, then `around`. */
export function runMessage<R>(
  data: unknown,
  context: unknown,
  options: MessageContextOptions,
  correlationHeader: string | undefined,
  handle: () => R,
): R {
  let headers: HeaderCarrier | undefined;
  try {
    headers = (options.headers ?? messageHeaders)(data, context);
  } catch {
    headers = undefined; // A failing extractor gives the message a new correlation ID; it never fails the message.
  }
  const around = options.around;
  return runFromHeaders(headers, () => (around === undefined ? handle() : around(headers, handle)), {
    header: correlationHeader,
  });
}

/**
 * A NestJS 12 microservice pre-request hook that runs each message's guards, interceptors, pipes
 * and handler in the context of its headers. `JtsModule` already does this for every microservice
 * of the application on NestJS 10, 11 and 12; register this hook yourself only on a microservice
 * without the module (`JtsModule.forRoot({ microservices: false })`).
 *
 * @param options - where the headers are, what to run the handler in
 * @param correlationHeader - the correlation ID header (default `x-correlation-id`)
 * @returns the hook for `microservice.registerPreRequestHook(...)`
 * @example
 * const microservice = await NestFactory.createMicroservice(AppModule, { transport: Transport.TCP });
 * microservice.registerPreRequestHook(messageContextHook());
 */
export function messageContextHook(options: MessageContextOptions = {}, correlationHeader?: string) {
  return (context: ExecutionContext, next: () => Observable<unknown>): Observable<unknown> =>
    new Observable((subscriber) => {
      const rpc = context.switchToRpc();
      return runMessage(rpc.getData(), rpc.getContext(), options, correlationHeader, () =>
        next().subscribe(subscriber),
      );
    });
}
