// Compile-time proof (checked by `tsc -p tsconfig.json`) that the `elasticsearch` option and the
// stats that @jts/log declares for itself are exactly those of @jts/log-elasticsearch: @jts/log
// cannot import them (an optional peer must not be needed to type-check a plain logger).
import type * as Shipper from '@jts/log-elasticsearch';
import { expectTypeOf } from 'vitest';
import type { ElasticsearchShippingOptions, LoggerOptions, ShippingStats, SpoolFullPolicy } from '../src/index.js';

expectTypeOf<ElasticsearchShippingOptions>().toEqualTypeOf<Shipper.ElasticsearchShippingOptions>();
expectTypeOf<NonNullable<LoggerOptions['elasticsearch']>>().toEqualTypeOf<Shipper.ElasticsearchShippingOptions>();
expectTypeOf<SpoolFullPolicy>().toEqualTypeOf<Shipper.SpoolFullPolicy>();
expectTypeOf<ShippingStats>().toEqualTypeOf<Shipper.ShippingStats>();
