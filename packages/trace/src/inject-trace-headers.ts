import { type Context, type TextMapSetter, context as otelContext, propagation } from '@opentelemetry/api';
import { currentContext, injectHeaders } from '@jts/core';

type WritableCarrier = Record<string, unknown> | Map<string, unknown> | { set(name: string, value: string): unknown };

const setter: TextMapSetter<WritableCarrier> = {
  set(carrier, key, value) {
    if (carrier instanceof Map) carrier.set(key, value);
    else if (typeof (carrier as { set?: unknown }).set === 'function')
      (carrier as { set(name: string, value: string): unknown }).set(key, value);
    else (carrier as Record<string, unknown>)[key] = value;
  },
};

/**
 * Writes `traceparent`, `tracestate`, `baggage` and `x-correlation-id` for the active span and
 * JTS context into outgoing HTTP or message headers (plain object, Map or fetch `Headers`).
 * Never throws.
 *
 * @param carrier - outgoing headers, modified in place
 * @param context - OpenTelemetry context to propagate (default: the active one)
 * @returns the same carrier
 * @example
 * await fetch(url, { headers: injectTraceHeaders({ 'content-type': 'application/json' }) });
 */
export function injectTraceHeaders<C extends object>(carrier: C, context: Context = otelContext.active()): C {
  try {
    propagation.inject(context, carrier as WritableCarrier, setter);
    injectHeaders(carrier, currentContext());
  } catch {
    // Propagation must never break the call it decorates.
  }
  return carrier;
}
