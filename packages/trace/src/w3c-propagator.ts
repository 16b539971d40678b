import {
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  isSpanContextValid,
  trace,
} from '@opentelemetry/api';
import { sdkModules } from './internal/sdk-modules.js';
import { formatTraceparent, parseTraceContext } from './trace-context.js';

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';

/**
 * A W3C Trace Context propagator whose extraction follows the specification exactly (see
 * {@link parseTraceparent}); a drop-in for OpenTelemetry's `W3CTraceContextPropagator`.
 *
 * @returns the propagator
 * @example
 * propagation.setGlobalPropagator(createW3CTraceContextPropagator());
 */
export function createW3CTraceContextPropagator(): TextMapPropagator {
  const { isTracingSuppressed } = sdkModules().core;
  return {
    inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
      const spanContext = trace.getSpanContext(context);
      if (spanContext === undefined || isTracingSuppressed(context) || !isSpanContextValid(spanContext)) return;
      setter.set(carrier, TRACEPARENT, formatTraceparent(spanContext));
      const state = spanContext.traceState?.serialize();
      if (state) setter.set(carrier, TRACESTATE, state);
    },
    extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
      const spanContext = parseTraceContext(getter.get(carrier, TRACEPARENT), getter.get(carrier, TRACESTATE));
      return spanContext === undefined ? context : trace.setSpanContext(context, spanContext);
    },
    fields(): string[] {
      return [TRACEPARENT, TRACESTATE];
    },
  };
}
