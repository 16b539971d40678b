// Compile-time proof (checked by `tsc -p tsconfig.json`) that the `elasticsearch` option and the
// stats of @jts/log are exactly those @jts/log-elasticsearch implements: both take them from
// @jts/core (an optional peer must not be needed to type-check a plain logger), and neither may
// drift into a local copy.
import type * as Shipper from '@jts/log-elasticsearch';
import { expectTypeOf } from 'vitest';
import type { ElasticsearchShippingOptions, LoggerOptions, ShippingStats, SpoolFullPolicy } from '../src/index.js';

expectTypeOf<ElasticsearchShippingOptions>().toEqualTypeOf<Shipper.ElasticsearchShippingOptions>();
expectTypeOf<NonNullable<LoggerOptions['elasticsearch']>>().toEqualTypeOf<Shipper.ElasticsearchShippingOptions>();
expectTypeOf<SpoolFullPolicy>().toEqualTypeOf<Shipper.SpoolFullPolicy>();
expectTypeOf<ShippingStats>().toEqualTypeOf<Shipper.ShippingStats>();
