import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { listen } from './services.js';

/** A span as the demo prints it, decoded from OTLP/JSON. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly service: string;
  readonly durationMs: number;
  readonly attributes: Readonly<Record<string, unknown>>;
}

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
type KeyValue = { key: string; value: AnyValue };
const readValue = (value: AnyValue) => value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue;
const toRecord = (pairs: KeyValue[] = []) => Object.fromEntries(pairs.map((pair) => [pair.key, readValue(pair.value)]));

/**
 * Stands in for Jaeger's OTLP/HTTP receiver (port 4318 in the reference stack), which cannot run on
 * the development machines: a loopback server that accepts `POST /v1/traces` in OTLP/JSON.
 */
export async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const payload = JSON.parse(body.toString('utf8'));
        for (const resourceSpans of payload.resourceSpans ?? []) {
          const service = String(toRecord(resourceSpans.resource?.attributes)['service.name'] ?? 'unknown');
          for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
            for (const span of scopeSpans.spans ?? []) {
              spans.push({
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId ?? '',
                name: span.name,
                service,
                durationMs: (Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6),
                attributes: toRecord(span.attributes),
              });
            }
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  const url = await listen(server);
  return { url, spans, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
