/**
 * The `elasticsearch` option of `createLogger`, typed here rather than imported from
 * `@jts/log-elasticsearch`: that package is an optional peer, and this package's declarations must
 * type-check for a user who never installs it. `test/shipping-options.test-d.ts` proves the two
 * definitions identical, so they cannot drift apart. Each field is documented, with its
 * environment variable and default, in the README of `@jts/log-elasticsearch`.
 */

/** What happens to new lines when the disk spool has reached `spoolMaxBytes`. */
export type SpoolFullPolicy = 'drop-newest' | 'block';

/** Where to ship, how to authenticate, and how the disk spool in front of Elasticsearch behaves. */
export interface ElasticsearchShippingOptions {
  /** Elasticsearch URL. Env `JTS_ES_URL`. Required. */
  readonly url?: string;
  /** API key (base64 `id:api_key`). Env `JTS_ES_API_KEY`. */
  readonly apiKey?: string;
  /** Basic-auth user. Env `JTS_ES_USERNAME`. */
  readonly username?: string;
  /** Basic-auth password. Env `JTS_ES_PASSWORD`. */
  readonly password?: string;
  /** SHA-256 fingerprint of the cluster CA. Env `JTS_ES_CA_FINGERPRINT`. */
  readonly caFingerprint?: string;
  /** Verify the server certificate. Env `JTS_ES_TLS_VERIFY`. Default `true`. */
  readonly tlsRejectUnauthorized?: boolean;
  /** Data stream namespace (`logs-jts.<service>-<namespace>`). Env `JTS_ES_NAMESPACE`. Default `default`. */
  readonly namespace?: string;
  /** Second stream for lines at level >= error; `false` disables it. Env `JTS_ES_ERRORS_STREAM`. Default `jts-errors`. */
  readonly errorStream?: string | false;
  /** Spool directory. Env `JTS_LOG_SPOOL_DIR`. Default `<os.tmpdir()>/jts-log-spool`. */
  readonly spoolDir?: string;
  /** Spool size bound in bytes. Env `JTS_LOG_SPOOL_MAX_BYTES`. Default 512 MiB. */
  readonly spoolMaxBytes?: number;
  /** New lines when the spool is full. Env `JTS_LOG_SPOOL_FULL_POLICY`. Default `drop-newest`. */
  readonly spoolFullPolicy?: SpoolFullPolicy;
  /** `fdatasync` interval of the spool in ms; `0` leaves it to the OS. Env `JTS_LOG_SPOOL_SYNC_INTERVAL_MS`. Default 1000. */
  readonly spoolSyncIntervalMs?: number;
  /** Dead-letter file. Env `JTS_LOG_DEAD_LETTER_PATH`. Default `<spool>/dead-letter.ndjson`. */
  readonly deadLetterPath?: string;
  /** Longest wait before a partial batch is sent, ms. Env `JTS_ES_FLUSH_INTERVAL_MS`. Default 1000. */
  readonly flushIntervalMs?: number;
  /** Most lines per `_bulk` request. Env `JTS_ES_BATCH_SIZE`. Default 500. */
  readonly batchSize?: number;
  /** Per-request timeout, ms. Env `JTS_ES_REQUEST_TIMEOUT_MS`. Default 10000. */
  readonly requestTimeoutMs?: number;
  /** First retry delay ceiling, ms. Default 250. */
  readonly retryBaseDelayMs?: number;
  /** Largest retry delay, ms. Env `JTS_ES_RETRY_MAX_DELAY_MS`. Default 10000. */
  readonly retryMaxDelayMs?: number;
}

/** The shipper's counters in `logger.stats().elasticsearch`, monotonic since the logger was created. */
export interface ShippingStats {
  /** Lines the shipper received from the logger (spooled or dropped). */
  readonly received: number;
  /** Lines Elasticsearch acknowledged in their data stream. */
  readonly shipped: number;
  /** Documents sent again after a 429, 5xx, timeout or connection failure. */
  readonly retried: number;
  /** Bytes in the spool not yet acknowledged. */
  readonly spooledBytes: number;
  /** Documents rejected for good, written to the dead-letter file. */
  readonly deadLettered: number;
  /** Lines dropped because the spool was full or could not be written. */
  readonly dropped: number;
  /** `_bulk` requests that failed as a whole. */
  readonly failedRequests: number;
  /** Heap used by the shipper's worker thread, in bytes. */
  readonly shipperHeapUsedBytes: number;
  /** `fdatasync` calls on the spool. */
  readonly spoolSyncs: number;
  /** Message of the most recent shipping error, if any. */
  readonly lastError: string | undefined;
}
