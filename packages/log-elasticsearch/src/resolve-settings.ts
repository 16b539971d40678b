import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JtsError, type ServiceInfo } from '@jts/core';
import { parseBoolean, parseEnum, parseNumber, resolveOption } from '@jts/core/internal';
import { dataStreamName } from './data-stream.js';
import type { ElasticsearchDestinationOptions, ResolvedShippingSettings, SpoolFullPolicy } from './options.js';

/** Settings for the worker plus the ones the main thread keeps. */
export interface ResolvedDestinationSettings {
  readonly settings: ResolvedShippingSettings;
  /** Deadline of flush(), close() and the flush on exit. */
  readonly closeTimeoutMs: number;
  readonly flushOnExit: boolean;
}

const MiB = 1024 * 1024;

function validUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'must be an http(s) URL';
  } catch {
    return 'must be an absolute http(s) URL';
  }
}

const INDEX_NAME = /^[a-z0-9][a-z0-9._-]{0,254}$/;

/**
 * Resolves shipping options: option > `JTS_*` environment variable > default, validated once.
 *
 * @param options - options given in code
 * @param service - the resolved service identity (names the data stream and the spool)
 * @param environment - environment to read (default `process.env`)
 * @returns the settings
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a missing URL or an invalid option
 */
export function resolveShippingSettings(
  options: ElasticsearchDestinationOptions,
  service: ServiceInfo,
  environment: NodeJS.ProcessEnv = process.env,
): ResolvedDestinationSettings {
  const text = (name: string, option: string | undefined, env: string) =>
    resolveOption<string | undefined>({ name, option, env, default: undefined, environment });
  const integer = (name: string, option: number | undefined, env: string | undefined, fallback: number, min = 1) =>
    resolveOption({
      name,
      option,
      ...(env && { env }),
      parse: parseNumber({ min, integer: true }),
      default: fallback,
      validate: (value) => (Number.isSafeInteger(value) && value >= min ? undefined : `must be an integer >= ${min}`),
      environment,
    });

  const url = resolveOption<string | undefined>({
    name: 'elasticsearch.url',
    option: options.url,
    env: 'JTS_ES_URL',
    default: undefined,
    validate: (v) => (v === undefined ? undefined : validUrl(v)),
    environment,
  });
  if (url === undefined) {
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      'Invalid option elasticsearch.url: an Elasticsearch URL is required (or set JTS_ES_URL)',
    );
  }
  const namespace = resolveOption({
    name: 'elasticsearch.namespace',
    option: options.namespace,
    env: 'JTS_ES_NAMESPACE',
    default: 'default',
    validate: (v) => (v.trim() === '' ? 'must be non-empty' : undefined),
    environment,
  });
  const errorStreamOption = options.errorStream === false ? '' : options.errorStream;
  const errorStream = resolveOption({
    name: 'elasticsearch.errorStream',
    option: errorStreamOption,
    env: 'JTS_ES_ERRORS_STREAM',
    parse: (raw) => (['false', 'off', 'none'].includes(raw.toLowerCase()) ? '' : raw),
    default: 'jts-errors',
    validate: (v) =>
      v === '' || INDEX_NAME.test(v) ? undefined : 'must be a lowercase index name (a-z, 0-9, ".", "_", "-") or false',
    environment,
  });
  const dataStream = dataStreamName(service.name, namespace);
  const spoolRoot = resolveOption({
    name: 'elasticsearch.spoolDir',
    option: options.spoolDir,
    env: 'JTS_LOG_SPOOL_DIR',
    default: join(tmpdir(), 'jts-log-spool'),
    environment,
  });
  const spoolDir = join(resolve(spoolRoot), dataStream);
  const spoolMaxBytes = integer(
    'elasticsearch.spoolMaxBytes',
    options.spoolMaxBytes,
    'JTS_LOG_SPOOL_MAX_BYTES',
    512 * MiB,
    16 * 1024,
  );
  const spoolFullPolicy = resolveOption<SpoolFullPolicy>({
    name: 'elasticsearch.spoolFullPolicy',
    option: options.spoolFullPolicy,
    env: 'JTS_LOG_SPOOL_FULL_POLICY',
    parse: parseEnum(['drop-newest', 'block'] as const),
    default: 'drop-newest',
    validate: (v) => (v === 'drop-newest' || v === 'block' ? undefined : "must be 'drop-newest' or 'block'"),
    environment,
  });
  const requestTimeoutMs = integer(
    'elasticsearch.requestTimeoutMs',
    options.requestTimeoutMs,
    'JTS_ES_REQUEST_TIMEOUT_MS',
    10_000,
  );

  const settings: ResolvedShippingSettings = {
    url,
    apiKey: text('elasticsearch.apiKey', options.apiKey, 'JTS_ES_API_KEY'),
    username: text('elasticsearch.username', options.username, 'JTS_ES_USERNAME'),
    password: text('elasticsearch.password', options.password, 'JTS_ES_PASSWORD'),
    caFingerprint: text('elasticsearch.caFingerprint', options.caFingerprint, 'JTS_ES_CA_FINGERPRINT'),
    tlsRejectUnauthorized: resolveOption({
      name: 'elasticsearch.tlsRejectUnauthorized',
      option: options.tlsRejectUnauthorized,
      env: 'JTS_ES_TLS_VERIFY',
      parse: parseBoolean,
      default: true,
      environment,
    }),
    dataStream,
    errorStream: errorStream === '' ? undefined : errorStream,
    spoolDir,
    spoolMaxBytes,
    segmentBytes: Math.max(4096, Math.min(16 * MiB, Math.floor(spoolMaxBytes / 8))),
    spoolFullPolicy,
    spoolSyncIntervalMs: integer(
      'elasticsearch.spoolSyncIntervalMs',
      options.spoolSyncIntervalMs,
      'JTS_LOG_SPOOL_SYNC_INTERVAL_MS',
      1000,
      0,
    ),
    deadLetterPath: resolveOption({
      name: 'elasticsearch.deadLetterPath',
      option: options.deadLetterPath,
      env: 'JTS_LOG_DEAD_LETTER_PATH',
      default: join(spoolDir, 'dead-letter.ndjson'),
      environment,
    }),
    flushIntervalMs: integer(
      'elasticsearch.flushIntervalMs',
      options.flushIntervalMs,
      'JTS_ES_FLUSH_INTERVAL_MS',
      1000,
    ),
    batchSize: integer('elasticsearch.batchSize', options.batchSize, 'JTS_ES_BATCH_SIZE', 500),
    batchMaxBytes: 5 * MiB,
    requestTimeoutMs,
    retryBaseDelayMs: integer('elasticsearch.retryBaseDelayMs', options.retryBaseDelayMs, undefined, 250),
    retryMaxDelayMs: integer(
      'elasticsearch.retryMaxDelayMs',
      options.retryMaxDelayMs,
      'JTS_ES_RETRY_MAX_DELAY_MS',
      10_000,
    ),
  };
  return {
    settings,
    closeTimeoutMs: integer('closeTimeoutMs', options.closeTimeoutMs, 'JTS_LOG_CLOSE_TIMEOUT_MS', 5000, 0),
    flushOnExit: resolveOption({
      name: 'flushOnExit',
      option: options.flushOnExit,
      env: 'JTS_LOG_FLUSH_ON_EXIT',
      parse: parseBoolean,
      default: true,
      validate: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
      environment,
    }),
  };
}
