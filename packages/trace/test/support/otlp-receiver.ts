import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { decodeProtobufRequest, encodeProtobufResponse } from './otlp-proto.js';

/** One span as decoded from an OTLP export request (JSON or protobuf). */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
  readonly status: { code?: number; message?: string } | undefined;
  readonly events: ReadonlyArray<{ name: string; attributes: Record<string, unknown> }>;
}

/** How the receiver answers the next requests. */
export type ReceiverFault =
  | { readonly kind: 'ok' }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly times?: number }
  | { readonly kind: 'partial'; readonly rejectedSpans: number }
  | { readonly kind: 'hang' };

export interface OtlpReceiver {
  readonly url: string;
  readonly port: number;
  /** Spans received (empty when started with `keepSpans: false`). */
  readonly spans: ReceivedSpan[];
  /** Spans accepted so far, kept or not. */
  acceptedSpans(): number;
  /** Every request: arrival time and answer status (0 = never answered). */
  readonly requests: Array<{ at: number; status: number; contentType: string | undefined; spanCount: number }>;
  /** Sockets currently open to the receiver, and the most seen at once. */
  openSockets(): number;
  maxOpenSockets(): number;
  setFault(fault: ReceiverFault): void;
  /** Stop accepting connections (the port is closed: connections are refused). */
  refuse(): Promise<void>;
  /** Listen again on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

function decodeValue(value: Record<string, unknown> | undefined): unknown {
  if (value === undefined) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('boolValue' in value) return value.boolValue;
  if ('arrayValue' in value)
    return ((value.arrayValue as { values?: Array<Record<string, unknown>> }).values ?? []).map(decodeValue);
  return undefined;
}

function decodeAttributes(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of (list as Array<{ key: string; value: Record<string, unknown> }> | undefined) ?? [])
    out[item.key] = decodeValue(item.value);
  return out;
}

const PROTOBUF = 'application/x-protobuf';

// OTLP/JSON encodes trace and span IDs as hex strings (the protobuf JSON mapping exception); a
// protobuf body is decoded into that same shape first. The Content-Type says which it is.
function decodeRequest(body: Buffer, contentType: string | undefined): ReceivedSpan[] {
  const parsed = (contentType === PROTOBUF ? decodeProtobufRequest(body) : JSON.parse(body.toString('utf8'))) as {
    resourceSpans?: Array<Record<string, unknown>>;
  };
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of parsed.resourceSpans ?? []) {
    const resource = decodeAttributes((resourceSpans.resource as { attributes?: unknown } | undefined)?.attributes);
    for (const scopeSpans of (resourceSpans.scopeSpans as Array<{ spans?: Array<Record<string, unknown>> }>) ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          traceId: span.traceId as string,
          spanId: span.spanId as string,
          parentSpanId: (span.parentSpanId as string | undefined) || undefined,
          name: span.name as string,
          kind: span.kind as number,
          attributes: decodeAttributes(span.attributes),
          resource,
          status: span.status as ReceivedSpan['status'],
          events: ((span.events as Array<{ name: string; attributes?: unknown }>) ?? []).map((event) => ({
            name: event.name,
            attributes: decodeAttributes(event.attributes),
          })),
        });
      }
    }
  }
  return spans;
}

/**
 * A real OTLP/HTTP receiver on 127.0.0.1 (port 0) that decodes every export, OTLP/JSON or
 * OTLP/protobuf (with protobufjs, independently of OpenTelemetry's serializer), answers in the
 * request's encoding, and can misbehave on demand: refuse connections, never answer, 429/503 with
 * Retry-After, 400, or a partial success.
 */
export async function startOtlpReceiver(options: { keepSpans?: boolean } = {}): Promise<OtlpReceiver> {
  const keepSpans = options.keepSpans ?? true;
  let accepted = 0;
  let fault: ReceiverFault = { kind: 'ok' };
  let statusTimes = 0;
  const spans: ReceivedSpan[] = [];
  const requests: OtlpReceiver['requests'] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  let maxSockets = 0;

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = request.headers['content-type'];
      const record = { at: Date.now(), status: 0, contentType, spanCount: 0 };
      if (keepSpans) requests.push(record);
      let decoded: ReceivedSpan[] = [];
      try {
        decoded = decodeRequest(body, contentType);
      } catch {
        record.status = 400;
        response.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"not OTLP"}');
        return;
      }
      record.spanCount = decoded.length;
      const current = fault;
      if (current.kind === 'hang') {
        hanging.add(response);
        return;
      }
      if (current.kind === 'status') {
        statusTimes++;
        if (current.times === undefined || statusTimes <= current.times) {
          record.status = current.status;
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (current.retryAfter !== undefined) headers['retry-after'] = current.retryAfter;
          response.writeHead(current.status, headers).end('{}');
          return;
        }
      }
      accepted += decoded.length;
      if (keepSpans) spans.push(...decoded);
      record.status = 200;
      const partial =
        current.kind === 'partial'
          ? { rejectedSpans: current.rejectedSpans, errorMessage: 'rejected by test' }
          : undefined;
      if (contentType === PROTOBUF) {
        response.writeHead(200, { 'content-type': PROTOBUF }).end(encodeProtobufResponse(partial));
        return;
      }
      const answer =
        partial === undefined ? {} : { partialSuccess: { ...partial, rejectedSpans: String(partial.rejectedSpans) } };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  };

  let server: Server = createServer(handle);
  const track = (socket: Socket) => {
    sockets.add(socket);
    maxSockets = Math.max(maxSockets, sockets.size);
    socket.on('close', () => sockets.delete(socket));
  };
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.on('connection', track);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const response of hanging) response.destroy();
      hanging.clear();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  const port = await listen(0);
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    port,
    spans,
    acceptedSpans: () => accepted,
    requests,
    openSockets: () => sockets.size,
    maxOpenSockets: () => maxSockets,
    setFault(next) {
      fault = next;
      statusTimes = 0;
    },
    refuse: stop,
    async resume() {
      server = createServer(handle);
      await listen(port);
    },
    close: stop,
  };
}
