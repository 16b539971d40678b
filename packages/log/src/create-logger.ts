import { hostname } from 'node:os';
import { JtsError, createRedactor, resolveServiceInfo } from '@jts/core';
import pino, { type Logger } from 'pino';
import { createLogFormatter, guardChildBindings } from './internal/child-bindings.js';
import { createContextFragment } from './internal/context-fragment.js';
import { ACCESS_FIELD_KEYS, createOperationLineWriter } from './internal/operation-line-writer.js';
import { type DestinationSpec, buildDestinations } from './internal/destinations.js';
import { openElasticsearch, type ShippingDestination } from './internal/elasticsearch-wiring.js';
import { registerExitFlush } from './internal/exit-flush.js';
import { createKeyClassifier } from './internal/field-keys.js';
import { createLineFormatter } from './internal/line-formatter.js';
import { BOUND_KEYS, createLogMethodHook } from './internal/log-arguments.js';
import { createLoggerControls } from './internal/logger-controls.js';
import { createMessageFormatter } from './internal/message-format.js';
import { subscribeOperationLines } from './internal/operation-lines.js';
import { resolveRedaction } from './internal/redaction-settings.js';
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
  /** Writes out buffered lines (and ships pending ones); resolves by `timeoutMs` (default: the `closeTimeoutMs` option) at the latest. Also accepts pino's callback. */
  flush(callbackOrTimeout?: number | ((error?: Error) => void)): Promise<void>;
  /** Unsubscribes, flushes and closes every destination, by `timeoutMs` (default: the `closeTimeoutMs` option) at the latest; later lines are counted as dropped. Idempotent. */
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
 * input. Subscribes to the channels of the `operations` option (by default all six: the five
 * trading operations and `http.server.request`, the access line) to write each run's line.
 *
 * @param options - see {@link LoggerOptions}; most have a `JTS_LOG_*` variable, each a default
 * @returns the logger
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for an unusable option, `JTS_ERR_DESTINATION_UNAVAILABLE` for a file that cannot be opened, `JTS_ERR_MISSING_DEPENDENCY` for `elasticsearch` without `@jts/log-elasticsearch` installed
 * @example
 * const log = createLogger({ serviceName: 'order-service' });
 * orderExecution.run({ orderId: 'o-1', symbol: 'AAPL' }, () => log.info({ qty: 100 }, 'order sent'));
 */
export function createLogger(options: LoggerOptions = {}): JtsLogger {
  const env = options.env ?? process.env;
  const service = resolveServiceInfo(options, env);
  const settings = resolveLoggerSettings(options, service.environment);
  const { policy, paths: redactPaths } = resolveRedaction(options.redaction, options.redactPaths);
  const redactor = createRedactor(policy);
  const keys = createKeyClassifier(redactor);
  const sanitizeString = createStringSanitizer(redactor, settings.maxStringLength);
  const sanitizer = createValueSanitizer({
    redactor,
    keys,
    sanitizeString,
    maxDepth: settings.maxDepth,
    maxErrorItems: 32,
  });

  const base: Record<string, unknown> = {
    'service.name': sanitizeString(service.name),
    'service.version': service.version === undefined ? undefined : sanitizeString(service.version),
    'service.environment': sanitizeString(service.environment),
    'ecs.version': ECS_VERSION,
    'process.pid': process.pid,
    'host.hostname': sanitizeString(hostname()),
  };
  // `err` is turned into the ECS `error` by the line formatter; the message is finished by the hook.
  const serializers: Record<string, (value: unknown) => unknown> = { err: (value) => value };
  for (const [key, serialize] of Object.entries(options.serializers ?? {})) {
    serializers[key] = (value) => {
      try {
        return sanitizer.keyed(key, serialize(value), 1);
      } catch (thrown) {
        return `[Unserializable: serializer threw ${describeThrown(thrown)}]`;
      }
    };
  }
  const formatter = createLineFormatter(
    keys,
    sanitizer,
    sanitizeString,
    new Set([base]),
    new Set(Object.keys(options.serializers ?? {})),
  );

  // The line prefix after the level: timestamp, then the context and trace fields, pre-serialised
  // once per context / span (pino's timestamp hook returns raw JSON text, so no per-line object).
  const stamp = createTimestamp();
  const contextFragment = createContextFragment(sanitizer);
  const traceFragment = createTraceFragment();
  const timestamp = traceFragment.available
    ? () => stamp() + contextFragment() + traceFragment()
    : () => stamp() + contextFragment();

  const counters = createLineCounters();
  const json = (value: unknown) => {
    try {
      return JSON.stringify(sanitizer.value(value, 1)) ?? String(value);
    } catch (thrown) {
      return `[Unserializable: ${describeThrown(thrown)}]`;
    }
  };
  const logMethod = createLogMethodHook({
    formatter,
    formatMessage: createMessageFormatter(json),
    sanitizeString,
    onLost: () => counters.dropped++,
  });
  let elasticsearch: ShippingDestination | undefined;
  const requested = options.destination ?? (settings.file !== undefined ? { file: settings.file } : 'stdout');
  const specs = (Array.isArray(requested) ? requested : [requested as LogDestination]).map(toSpec);
  if (specs.length === 0)
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      'Invalid option destination: give at least one destination (or set JTS_LOG_FILE)',
    );
  if (options.elasticsearch !== undefined) {
    elasticsearch = openElasticsearch(options.elasticsearch, {
      service,
      flushOnExit: settings.flushOnExit,
      closeTimeoutMs: settings.closeTimeoutMs,
      env,
    });
    specs.push({ kind: 'stream', stream: elasticsearch.stream, name: 'elasticsearch' });
  }
  let built: ReturnType<typeof buildDestinations>;
  try {
    built = buildDestinations(
      specs,
      { sync: settings.sync, pretty: settings.pretty, colorize: process.stdout.isTTY === true },
      counters,
    );
  } catch (error) {
    // A file that cannot be opened fails the setup: release the shipper's worker and spool lock.
    void elasticsearch?.close(0);
    throw error;
  }
  if (built.prettyUnavailable) {
    process.emitWarning('pretty output needs the optional peer pino-pretty; writing JSON lines instead', {
      code: 'JTS_WARN_PRETTY_UNAVAILABLE',
      type: 'JtsWarning',
    });
  }

  const byLevel = counters.byLevel;
  const logger = pino(
    {
      level: settings.level,
      messageKey: 'message',
      errorKey: 'error',
      base,
      timestamp,
      formatters: {
        level: (label) => ({ 'log.level': label }),
        bindings: (bindings) => formatter.bindings(bindings, new Set()),
        log: createLogFormatter(formatter),
      },
      hooks: { logMethod: logMethod as never },
      serializers,
      // The mixin only counts lines by level; merging nothing keeps pino's object untouched.
      mixin: (_object, level) => {
        const index = (level / 10) | 0;
        byLevel[index] = (byLevel[index] as number) + 1;
        return NOTHING;
      },
      mixinMergeStrategy: (object) => object,
      ...(redactPaths.length > 0 ? { redact: { paths: [...redactPaths], censor: policy.censor } } : {}),
    },
    built.stream,
  ) as unknown as JtsLogger;

  guardChildBindings(logger, formatter);

  // The shipper is flushed and closed through its own API, the other destinations through ours.
  const ownParts = elasticsearch === undefined ? built.parts : built.parts.slice(0, -1);
  const direct = createOperationLineWriter(
    logger,
    timestamp,
    (level) => {
      const index = (level / 10) | 0;
      byLevel[index] = (byLevel[index] as number) + 1;
    },
    {
      redactPaths: redactPaths.length > 0,
      serializers: Object.keys(options.serializers ?? {}).length > 0,
      sanitizeString,
      accessKeysTouched: ACCESS_FIELD_KEYS.some((key) => keys.flags(key) !== 0),
      boundKeys: () => (logger as unknown as { [BOUND_KEYS]?: ReadonlySet<string> })[BOUND_KEYS],
    },
  );
  const unsubscribe = subscribeOperationLines(
    logger,
    settings.operations,
    settings.operationLevels,
    () => counters.operationLines++,
    direct,
  );
  const unregisterExit =
    settings.flushOnExit && built.buffered
      ? registerExitFlush(() => {
          for (const part of ownParts) part.flushSync();
        }, settings.closeTimeoutMs)
      : () => {};
  return createLoggerControls(logger, {
    counters,
    parts: ownParts,
    elasticsearch,
    unsubscribe,
    unregisterExit,
    closeTimeoutMs: settings.closeTimeoutMs,
  });
}
