import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A span as the demo reads it, decoded from OTLP/JSON. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** `service.name` of the process that exported it. */
  readonly service: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly attributes: Readonly<Record<string, unknown>>;
}

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
type KeyValue = { key: string; value: AnyValue };
const readValue = (value: AnyValue) => value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue;
const toRecord = (pairs: KeyValue[] = []) => Object.fromEntries(pairs.map((pair) => [pair.key, readValue(pair.value)]));

/**
 * Stands in for Jaeger's OTLP/HTTP receiver (port 4318 in the reference stack), which cannot run
 * on the development machines: `POST /v1/traces` in OTLP/JSON (the services are started with
 * `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`). Every span is kept and appended to `file`, one JSON
 * line each.
 *
 * @param file - the JSON-lines file of received spans
 * @returns its URL (for `OTEL_EXPORTER_OTLP_ENDPOINT`), the spans, `close()`
 */
export async function startOtlpReceiver(file: string) {
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        let body = Buffer.concat(chunks);
        if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const received: ReceivedSpan[] = [];
        for (const resourceSpans of JSON.parse(body.toString('utf8')).resourceSpans ?? []) {
          const service = String(toRecord(resourceSpans.resource?.attributes)['service.name'] ?? 'unknown');
          for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
            for (const span of scopeSpans.spans ?? []) {
              const start = BigInt(span.startTimeUnixNano);
              received.push({
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId ?? '',
                name: span.name,
                service,
                startMs: Number(start / 1000n) / 1000,
                durationMs: Number(BigInt(span.endTimeUnixNano) - start) / 1e6,
                attributes: toRecord(span.attributes),
              });
            }
          }
        }
        spans.push(...received);
        if (received.length > 0) appendFileSync(file, received.map((span) => `${JSON.stringify(span)}\n`).join(''));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The running receiver. */
export type OtlpReceiver = Awaited<ReturnType<typeof startOtlpReceiver>>;
