import { hostname } from 'node:os';
import { JtsError, createRedactionPolicy, createRedactor, defaultRedactionPolicy, resolveServiceInfo } from '@jts/core';
import pino, { type Logger } from 'pino';
import type { ElasticsearchDestination } from './elasticsearch/index.js';
import { createContextFragment } from './internal/context-fragment.js';
import { type DestinationSpec, buildDestinations } from './internal/destinations.js';
import { openElasticsearch } from './internal/elasticsearch-wiring.js';
import { registerExitFlush } from './internal/exit-flush.js';
import { createKeyClassifier } from './internal/field-keys.js';
import { createLineFormatter } from './internal/line-formatter.js';
import { createLoggerControls } from './internal/logger-controls.js';
import { subscribeOperationLines } from './internal/operation-lines.js';
import { createStringSanitizer } from './internal/sanitize-string.js';
import { createValueSanitizer, describeThrown } from './internal/sanitize-value.js';
import { createTimestamp } from './internal/timestamp.js';
import { createTraceFragment } from './internal/trace-ids.js';
import { type LogDestination, type LoggerOptions, resolveLoggerSettings } from './logger-options.js';
import { createLineCounters, type LoggerStats } from './logger-stats.js';

const NOTHING = Object.freeze({});

/** ECS version the line schema follows (`ecs.version` on every line). */
export const ECS_VERSION = '8.11.0';

/** A pino logger with the JTS line schema, plus self-metrics and promise-based flush/close. */
export interface JtsLogger extends Logger {
  /** Counters for `@jts/metrics`: lines by level, drops, operation lines, shipping. */
  stats(): LoggerStats;
  /** Writes out buffered lines (and ships pending ones); resolves by `timeoutMs` (default 5000) at the latest. Also accepts pino's callback. */
  flush(callbackOrTimeout?: number | ((error?: Error) => void)): Promise<void>;
  /** Unsubscribes, flushes and closes every destination; later lines are counted as dropped. Idempotent. */
  close(timeoutMs?: number): Promise<void>;
}

function toSpec(destination: LogDestination): DestinationSpec {
  if (destination === 'stdout') return { kind: 'stdout' };
  if ('file' in destination) return { kind: 'file', file: destination.file, level: destination.level };
  return { kind: 'stream', stream: destination.stream, level: destination.level };
}

/**
 * Creates the service's logger: a real pino logger whose every line follows the JTS schema
 * (ECS names, microsecond `@timestamp`, `service.*`, `correlation_id`, `trace.id` / `span.id`,
 * `trading.*` from the current context), redacted by the shared policy and safe against hostile
 * input. Subscribes to the operation channels when `operationLines` is on (the default).
 *
 * @param options - see {@link LoggerOptions}; each has a `JTS_LOG_*` variable and a default
 * @returns the logger
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for an unusable option, `JTS_ERR_DESTINATION_UNAVAILABLE` for a file that cannot be opened
 * @example
 * const log = createLogger({ serviceName: 'order-service' });
 * orderExecution.run({ orderId: 'o-1', symbol: 'AAPL' }, () => log.info({ qty: 100 }, 'order sent'));
 */
export function createLogger(options: LoggerOptions = {}): JtsLogger {
  const service = resolveServiceInfo(options);
  const settings = resolveLoggerSettings(options, service.environment);
  const redaction = options.redaction ?? {};
  const policy =
    redaction.policy ??
    (redaction.keys || redaction.maskKeys || redaction.patterns || redaction.censor !== undefined
      ? createRedactionPolicy({ keys: redaction.keys, maskKeys: redaction.maskKeys, patterns: redaction.patterns, censor: redaction.censor })
      : defaultRedactionPolicy);
  const redactor = createRedactor(policy);
  const keys = createKeyClassifier(redactor);
  const sanitizeString = createStringSanitizer(redactor, settings.maxStringLength);
  const sanitizer = createValueSanitizer({ redactor, keys, sanitizeString, maxDepth: settings.maxDepth, maxErrorItems: 32 });

  const base: Record<string, unknown> = {
    'service.name': sanitizeString(service.name),
    'service.version': service.version === undefined ? undefined : sanitizeString(service.version),
    'service.environment': sanitizeString(service.environment),
    'ecs.version': ECS_VERSION,
    'process.pid': process.pid,
    'host.hostname': sanitizeString(hostname()),
  };
  const serializers: Record<string, (value: unknown) => unknown> = {
    err: (value) => value,
    message: (value) => (typeof value === 'string' ? sanitizeString(value) : sanitizer.value(value, 1)),
  };
  for (const [key, serialize] of Object.entries(options.serializers ?? {})) {
    serializers[key] = (value) => {
      try {
        return sanitizer.keyed(key, serialize(value), 1);
      } catch (thrown) {
        return `[Unserializable: serializer threw ${describeThrown(thrown)}]`;
      }
    };
  }
  const formatter = createLineFormatter(keys, sanitizer, sanitizeString, new Set([base]), new Set(Object.keys(options.serializers ?? {})));

  // The line prefix after the level: timestamp, then the context and trace fields, pre-serialised
  // once per context / span (pino's timestamp hook returns raw JSON text, so no per-line object).
  const stamp = createTimestamp();
  const contextFragment = createContextFragment(sanitizer);
  const traceFragment = createTraceFragment();
  const timestamp = traceFragment.available ? () => stamp() + contextFragment() + traceFragment() : () => stamp() + contextFragment();

  const counters = createLineCounters();
  let elasticsearch: ElasticsearchDestination | undefined;
  const requested = options.destination ?? (settings.file !== undefined ? { file: settings.file } : 'stdout');
  const specs = (Array.isArray(requested) ? requested : [requested as LogDestination]).map(toSpec);
  if (specs.length === 0) throw new JtsError('JTS_ERR_INVALID_OPTION', 'Invalid option destination: give at least one destination (or set JTS_LOG_FILE)');
  if (options.elasticsearch !== undefined) {
    elasticsearch = openElasticsearch(options.elasticsearch, service, settings.flushOnExit);
    specs.push({ kind: 'stream', stream: elasticsearch.stream, name: 'elasticsearch' });
  }
  let built: ReturnType<typeof buildDestinations>;
  try {
    built = buildDestinations(specs, { sync: settings.sync, pretty: settings.pretty, colorize: process.stdout.isTTY === true }, counters);
  } catch (error) {
    // A file that cannot be opened fails the setup: release the shipper's worker and spool lock.
    void elasticsearch?.close(0);
    throw error;
  }
  if (built.prettyUnavailable) {
    process.emitWarning('pretty output needs the optional peer pino-pretty; writing JSON lines instead', { code: 'JTS_WARN_PRETTY_UNAVAILABLE', type: 'JtsWarning' });
  }

  const byLevel = counters.byLevel;
  const logger = pino(
    {
      level: settings.level,
      messageKey: 'message',
      errorKey: 'error',
      base,
      timestamp,
      formatters: { level: (label) => ({ 'log.level': label }), bindings: formatter.bindings, log: formatter.log },
      serializers,
      // The mixin only counts lines by level; merging nothing keeps pino's object untouched.
      mixin: (_object, level) => {
        const index = (level / 10) | 0;
        byLevel[index] = (byLevel[index] as number) + 1;
        return NOTHING;
      },
      mixinMergeStrategy: (object) => object,
      ...(redaction.paths?.length ? { redact: { paths: [...redaction.paths], censor: policy.censor } } : {}),
    },
    built.stream,
  ) as unknown as JtsLogger;

  // pino applies formatters.bindings to `base` only; children's bindings are sanitised here.
  const pinoChild = logger.child;
  const pinoSetBindings = logger.setBindings;
  const safeBindings = (bindings: unknown) =>
    bindings !== null && typeof bindings === 'object' ? formatter.bindings(bindings as Record<string, unknown>) : bindings;
  Object.assign(logger, {
    child(this: Logger, bindings: Record<string, unknown>, childOptions?: object) {
      return pinoChild.call(this, safeBindings(bindings) as Record<string, unknown>, childOptions as never);
    },
    setBindings(this: Logger, bindings: Record<string, unknown>) {
      pinoSetBindings.call(this, safeBindings(bindings) as Record<string, unknown>);
    },
  });

  // The shipper is flushed and closed through its own API, the other destinations through ours.
  const ownParts = elasticsearch === undefined ? built.parts : built.parts.slice(0, -1);
  const unsubscribe = subscribeOperationLines(logger, settings.operations, settings.operationLevels, () => counters.operationLines++);
  const unregisterExit =
    settings.flushOnExit && built.buffered
      ? registerExitFlush(() => {
          for (const part of ownParts) part.flushSync();
        })
      : () => {};
  return createLoggerControls(logger, { counters, parts: ownParts, elasticsearch, unsubscribe, unregisterExit });
}
