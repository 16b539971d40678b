import type { ElasticsearchShippingOptions, ServiceInfo, SpoolFullPolicy } from '@jts/core';

// The option shape lives in @jts/core, so @jts/log types its `elasticsearch` option without this package.
export type { ElasticsearchShippingOptions, SpoolFullPolicy };

/**
 * Options of `createElasticsearchDestination`: the shipping options plus what `createLogger`
 * decides for all of a logger's destinations (it passes its own resolved values). Used alone with
 * a plain pino logger, each falls back to the same `JTS_LOG_*` variable as the logger's option.
 */
export interface ElasticsearchDestinationOptions extends ElasticsearchShippingOptions {
  /** Who logs: names the data stream and the spool subdirectory. Default: `resolveServiceInfo()` of `@jts/core` (`OTEL_SERVICE_NAME`, ...). */
  readonly service?: ServiceInfo;
  /** Ship the last lines on SIGTERM, SIGINT, a fatal error and a drained event loop (core's exit registry). Env: `JTS_LOG_FLUSH_ON_EXIT`. Default `true`. */
  readonly flushOnExit?: boolean;
  /** Deadline of `flush()`, `close()` and of the flush on exit, in ms. Env: `JTS_LOG_CLOSE_TIMEOUT_MS`. Default 5000. */
  readonly closeTimeoutMs?: number;
  /** Environment variables to read instead of `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The plain, structured-clonable settings handed to the worker thread. */
export interface ResolvedShippingSettings {
  readonly url: string;
  readonly apiKey: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly caFingerprint: string | undefined;
  readonly tlsRejectUnauthorized: boolean;
  readonly dataStream: string;
  readonly errorStream: string | undefined;
  /** The spool directory of this service + namespace (already created and locked). */
  readonly spoolDir: string;
  readonly spoolMaxBytes: number;
  readonly segmentBytes: number;
  readonly spoolFullPolicy: SpoolFullPolicy;
  /** 0: never fdatasync. */
  readonly spoolSyncIntervalMs: number;
  readonly deadLetterPath: string;
  readonly flushIntervalMs: number;
  readonly batchSize: number;
  readonly batchMaxBytes: number;
  readonly requestTimeoutMs: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
}
