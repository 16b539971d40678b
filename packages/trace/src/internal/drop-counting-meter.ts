import { type Attributes, type Counter, type MeterProvider, createNoopMeter } from '@opentelemetry/api';
import type { StatsCounters } from '../tracing-stats.js';

/**
 * A meter provider for the BatchSpanProcessor's self-observability hook
 * (`selfObsMeterProvider`): it counts the spans the processor drops because its queue is full
 * (`otel.sdk.processor.span.processed` with `error.type=queue_full`), the one number the
 * processor does not otherwise expose. Everything else is a no-op.
 */
export function createDropCountingMeterProvider(counters: StatsCounters): MeterProvider {
  const noop = createNoopMeter();
  const counter: Counter = {
    add(value: number, attributes?: Attributes): void {
      if (attributes?.['error.type'] === 'queue_full') counters.dropped += value;
    },
  };
  const meter = Object.create(noop) as typeof noop;
  meter.createCounter = () => counter;
  return { getMeter: () => meter };
}
