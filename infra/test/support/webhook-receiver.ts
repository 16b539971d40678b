import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST received: Alertmanager's webhook payload or a Slack incoming-webhook message. */
export interface ReceivedPost {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: any;
  readonly at: number;
}

/** A loopback HTTP server standing in for the incident webhook and Slack's incoming webhooks. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:port` */
  readonly url: string;
  /** Every POST in arrival order. */
  readonly posts: ReceivedPost[];
  close(): Promise<void>;
}

/**
 * Starts a real HTTP server on 127.0.0.1 (port 0) that answers 200 to every POST with a JSON
 * body and records it under its path (`/slack/trading`, `/incident`, ...).
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const posts: ReceivedPost[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        posts.push({
          path: request.url ?? '',
          headers: request.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          at: Date.now(),
        });
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      } catch {
        response.writeHead(400).end('not JSON');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
