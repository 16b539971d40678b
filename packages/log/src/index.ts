export { ECS_VERSION, createLogger } from './create-logger.js';
export type { JtsLogger } from './create-logger.js';
export type { ElasticsearchShippingOptions, ShippingStats, SpoolFullPolicy } from './elasticsearch-options.js';
export type { LogDestination, LoggerOptions, OperationLevels } from './logger-options.js';
export type { LoggerStats } from './logger-stats.js';
