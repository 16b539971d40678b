import { createRequire } from 'node:module';
import { JtsError, type ServiceInfo } from '@jts/core';
import type { ElasticsearchShippingOptions, ShippingStats } from '../elasticsearch-options.js';

/** The package that ships lines to Elasticsearch; an optional peer of `@jts/log`. */
export const SHIPPER_PACKAGE = '@jts/log-elasticsearch';

/** What the logger uses of the shipper's destination. */
export interface ShippingDestination {
  readonly stream: NodeJS.WritableStream;
  stats(): ShippingStats;
  flush(timeoutMs?: number): Promise<void>;
  close(timeoutMs?: number): Promise<void>;
}

/** The logger's own settings that the shipper follows. */
export interface ShippingContext {
  readonly service: ServiceInfo;
  readonly flushOnExit: boolean;
  readonly closeTimeoutMs: number;
  readonly env: NodeJS.ProcessEnv;
}

type ShipperModule = { createElasticsearchDestination?: (options: object) => ShippingDestination };

function loadShipper(): ShipperModule {
  try {
    // Resolved from this package, like pino-pretty; `require` because createLogger is synchronous
    // (from the ESM build it loads the shipper's CJS build, whose worker file sits beside it).
    return createRequire(import.meta.url)(SHIPPER_PACKAGE) as ShipperModule;
  } catch (error) {
    const missing =
      (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      String((error as Error).message).includes(SHIPPER_PACKAGE);
    throw new JtsError(
      missing ? 'JTS_ERR_MISSING_DEPENDENCY' : 'JTS_ERR_DESTINATION_UNAVAILABLE',
      missing
        ? `Option elasticsearch: Elasticsearch shipping needs the package ${SHIPPER_PACKAGE}; install it with \`npm install ${SHIPPER_PACKAGE}\`, or remove the elasticsearch option`
        : `Cannot load ${SHIPPER_PACKAGE} (${(error as Error).message})`,
      { cause: error },
    );
  }
}

/**
 * Opens the Elasticsearch shipper of `@jts/log-elasticsearch` for a logger, loading that package
 * only now: a logger without the `elasticsearch` option never needs it installed. Its `stream`
 * takes the same newline-delimited JSON lines as every other destination; it ships the last lines
 * on exit through core's exit registry when the logger's `flushOnExit` is on, within the logger's
 * `closeTimeoutMs`.
 *
 * @param options - the logger's `elasticsearch` option
 * @param context - the logger's service identity, `flushOnExit`, `closeTimeoutMs` and environment
 * @returns the destination
 * @throws JtsError `JTS_ERR_MISSING_DEPENDENCY` when `@jts/log-elasticsearch` is not installed; the shipper's own setup errors
 */
export function openElasticsearch(
  options: ElasticsearchShippingOptions,
  context: ShippingContext,
): ShippingDestination {
  const shipper = loadShipper();
  if (typeof shipper.createElasticsearchDestination !== 'function') {
    throw new JtsError(
      'JTS_ERR_MISSING_DEPENDENCY',
      `${SHIPPER_PACKAGE} is installed but has no createElasticsearchDestination: install a version matching @jts/log's peer range`,
    );
  }
  return shipper.createElasticsearchDestination({
    ...options,
    service: context.service,
    flushOnExit: context.flushOnExit,
    closeTimeoutMs: context.closeTimeoutMs,
    env: context.env,
  });
}
