/**
 * The `elasticsearch` option of `createLogger` and the shipper's counters, typed in `@jts/core`
 * rather than imported from `@jts/log-elasticsearch`: that package is an optional peer, and this
 * package's declarations must type-check for a user who never installs it. Each field is
 * documented, with its environment variable and default, in the README of `@jts/log-elasticsearch`.
 */
import type { ElasticsearchShippingOptions, LogShippingStats, SpoolFullPolicy } from '@jts/core';

/** The shipper's counters in `logger.stats().elasticsearch`. */
export type ShippingStats = LogShippingStats;
export type { ElasticsearchShippingOptions, SpoolFullPolicy };
