export { createElasticsearchDestination } from './create-destination.js';
export type { ElasticsearchDestination } from './create-destination.js';
export { dataStreamName } from './data-stream.js';
export type { ElasticsearchDestinationOptions, ElasticsearchShippingOptions, SpoolFullPolicy } from './options.js';
export type { ShippingStats } from './stats.js';
