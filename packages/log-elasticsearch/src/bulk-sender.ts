import { Client, type ClientOptions } from '@elastic/elasticsearch';
import type { ResolvedShippingSettings } from './options.js';

/** Result of one bulk item as Elasticsearch reported it. */
export interface ItemResult {
  readonly status: number;
  readonly error: unknown;
}

/** What became of one `_bulk` request. */
export type BulkOutcome =
  /** Elasticsearch answered with per-item results, in request order. */
  | { readonly kind: 'items'; readonly results: readonly ItemResult[] }
  /** The request failed as a whole but may succeed later (refused, timeout, 429, 5xx, 401/403). */
  | { readonly kind: 'retry'; readonly reason: string }
  /** The request was rejected as a whole for its content (400, 413): send halves to isolate the culprit. */
  | { readonly kind: 'split'; readonly reason: string };

/** Sends `_bulk` bodies; one instance per worker. */
export interface BulkSender {
  send(body: string, itemCount: number): Promise<BulkOutcome>;
  close(): Promise<void>;
}

/**
 * Builds the Elasticsearch client the way pino-elasticsearch does (`node`, `auth`, `tls`,
 * `caFingerprint`), but with the client's own retries off: the spool and the shipper retry,
 * without a bound, from disk, which the client's in-memory retries cannot.
 *
 * @param settings - resolved settings
 * @returns the client options
 */
export function clientOptionsOf(settings: ResolvedShippingSettings): ClientOptions {
  const options: ClientOptions = {
    node: settings.url,
    maxRetries: 0,
    requestTimeout: settings.requestTimeoutMs,
    tls: { rejectUnauthorized: settings.tlsRejectUnauthorized },
  };
  if (settings.apiKey) options.auth = { apiKey: settings.apiKey };
  else if (settings.username) options.auth = { username: settings.username, password: settings.password ?? '' };
  if (settings.caFingerprint) options.caFingerprint = settings.caFingerprint;
  return options;
}

/**
 * Creates the bulk sender over one Elasticsearch client.
 *
 * @param settings - resolved settings
 * @returns the sender
 */
export function createBulkSender(settings: ResolvedShippingSettings): BulkSender {
  const client = new Client(clientOptionsOf(settings));
  return {
    async send(body, itemCount) {
      try {
        const response = (await client.bulk({ body } as never, {
          maxRetries: 0,
          requestTimeout: settings.requestTimeoutMs,
        })) as unknown as {
          items?: Array<Record<string, { status?: number; error?: unknown }>>;
        };
        const items = response.items ?? [];
        if (items.length !== itemCount)
          return { kind: 'retry', reason: `bulk response has ${items.length} items for ${itemCount} sent` };
        return {
          kind: 'items',
          results: items.map((entry) => {
            const result = Object.values(entry)[0] ?? {};
            return { status: result.status ?? 500, error: result.error };
          }),
        };
      } catch (error) {
        return classifyFailure(error);
      }
    },
    close: () => client.close().catch(() => undefined),
  };
}

function classifyFailure(error: unknown): BulkOutcome {
  const failure = error as { statusCode?: number; name?: string; message?: string };
  const status = failure.statusCode;
  const reason = `${failure.name ?? 'Error'}${status ? ` ${status}` : ''}: ${failure.message ?? String(error)}`.slice(
    0,
    500,
  );
  if (status === 400 || status === 413) return { kind: 'split', reason };
  return { kind: 'retry', reason };
}
