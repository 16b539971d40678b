import type { ServiceInfo } from '@jts/core';
import {
  type ElasticsearchDestination,
  type ElasticsearchShippingOptions,
  createElasticsearchDestination,
} from '../elasticsearch/index.js';

/**
 * Opens the Elasticsearch shipper of part `src/elasticsearch/` for a logger. Its `stream` takes
 * the same newline-delimited JSON lines as every other destination; its own exit handlers ship
 * the last lines on SIGTERM / SIGINT / crash unless the logger's `flushOnExit` (or its own) is off.
 *
 * @param options - shipping options as given to `createLogger`
 * @param service - the service identity resolved once by the logger
 * @param flushOnExit - the logger's resolved `flushOnExit`
 * @returns the destination
 */
export function openElasticsearch(options: ElasticsearchShippingOptions, service: ServiceInfo, flushOnExit: boolean): ElasticsearchDestination {
  return createElasticsearchDestination({ ...options, flushOnExit: flushOnExit && options.flushOnExit !== false, service });
}
