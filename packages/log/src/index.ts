export { ECS_VERSION, createLogger } from './create-logger.js';
export type { JtsLogger } from './create-logger.js';
export type { LogDestination, LogRedactionOptions, LoggerOptions, OperationLinesOptions } from './logger-options.js';
export type { LoggerStats } from './logger-stats.js';
export { createElasticsearchDestination } from './elasticsearch/index.js';
export type { ElasticsearchDestination, ElasticsearchShippingOptions, ShippingStats, SpoolFullPolicy } from './elasticsearch/index.js';
