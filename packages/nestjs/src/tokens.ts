/** Injection token of the logger given to `JtsModule` (`@Inject(JTS_LOGGER)`). */
export const JTS_LOGGER: unique symbol = Symbol.for('jts.nestjs.logger');
/** Injection token of the metrics given to `JtsModule` (`@Inject(JTS_METRICS) metrics: TradingMetrics`). */
export const JTS_METRICS: unique symbol = Symbol.for('jts.nestjs.metrics');
/** Injection token of the tracing given to `JtsModule` (`@Inject(JTS_TRACING) tracing: Tracing`). */
export const JTS_TRACING: unique symbol = Symbol.for('jts.nestjs.tracing');
/** Injection token of the resolved module options (internal). */
export const JTS_MODULE_OPTIONS: unique symbol = Symbol.for('jts.nestjs.options');
