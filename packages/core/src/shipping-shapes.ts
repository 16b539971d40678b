/**
 * The option shape of the Elasticsearch shipper, shared as a type by `@jts/log` (its
 * `elasticsearch` option) and `@jts/log-elasticsearch` (which implements it): the logger's
 * declarations must type-check without the optional peer installed, and the two packages may not
 * import each other's types. Types only: no runtime code.
 *
 * @packageDocumentation
 */

/** What happens to new lines when the disk spool has reached `spoolMaxBytes`. */
export type SpoolFullPolicy = 'drop-newest' | 'block';

/**
 * Options of the Elasticsearch shipper: where to send, how to authenticate, and how the disk
 * spool in front of it behaves. Every field is optional when its environment variable is set.
 */
export interface ElasticsearchShippingOptions {
  /** Elasticsearch URL, e.g. `https://es.internal:9200`. Env: `JTS_ES_URL`. Required. */
  readonly url?: string;
  /** API key (the base64 `id:api_key` form). Env: `JTS_ES_API_KEY`. Wins over basic auth. */
  readonly apiKey?: string;
  /** Basic-auth user. Env: `JTS_ES_USERNAME`. */
  readonly username?: string;
  /** Basic-auth password. Env: `JTS_ES_PASSWORD`. */
  readonly password?: string;
  /** SHA-256 fingerprint of the cluster CA (https only). Env: `JTS_ES_CA_FINGERPRINT`. */
  readonly caFingerprint?: string;
  /** Verify the server certificate. Default `true`. Env: `JTS_ES_TLS_VERIFY`. */
  readonly tlsRejectUnauthorized?: boolean;
  /** Data stream namespace: lines go to `logs-jts.<service>-<namespace>`. Default `default`. Env: `JTS_ES_NAMESPACE`. */
  readonly namespace?: string;
  /** Extra stream that also receives lines at level >= error; `false` disables it. Default `jts-errors`. Env: `JTS_ES_ERRORS_STREAM` (`false` disables). */
  readonly errorStream?: string | false;
  /** Directory of the disk spool. Default `<os.tmpdir()>/jts-log-spool`. Env: `JTS_LOG_SPOOL_DIR`. */
  readonly spoolDir?: string;
  /** Upper bound of the spool's segment files, in bytes. Default 512 MiB. Env: `JTS_LOG_SPOOL_MAX_BYTES`. */
  readonly spoolMaxBytes?: number;
  /** What to do with new lines when the spool is full. Default `drop-newest`. Env: `JTS_LOG_SPOOL_FULL_POLICY`. */
  readonly spoolFullPolicy?: SpoolFullPolicy;
  /**
   * How often the spool's new bytes are forced to disk (`fdatasync`, in the shipper's worker
   * thread, never on the logging path), in ms: what a power loss can take is at most this window.
   * `0` leaves it to the OS (lines survive a process crash, not a host crash). Default 1000.
   * Env: `JTS_LOG_SPOOL_SYNC_INTERVAL_MS`.
   */
  readonly spoolSyncIntervalMs?: number;
  /** Dead-letter file for documents Elasticsearch rejects for good. Default `<spool>/dead-letter.ndjson`. Env: `JTS_LOG_DEAD_LETTER_PATH`. */
  readonly deadLetterPath?: string;
  /** Longest wait before a partial batch is sent, in ms. Default 1000. Env: `JTS_ES_FLUSH_INTERVAL_MS`. */
  readonly flushIntervalMs?: number;
  /** Most lines per `_bulk` request. Default 500. Env: `JTS_ES_BATCH_SIZE`. */
  readonly batchSize?: number;
  /** Per-request timeout in ms; a timeout is retried like a 503. Default 10000. Env: `JTS_ES_REQUEST_TIMEOUT_MS`. */
  readonly requestTimeoutMs?: number;
  /** First retry delay ceiling in ms (doubling per attempt, equal jitter). Default 250. */
  readonly retryBaseDelayMs?: number;
  /** Largest retry delay in ms. Default 10000. Env: `JTS_ES_RETRY_MAX_DELAY_MS`. */
  readonly retryMaxDelayMs?: number;
}
