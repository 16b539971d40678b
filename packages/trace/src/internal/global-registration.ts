import {
  ProxyTracerProvider,
  ROOT_CONTEXT,
  type TracerProvider,
  context,
  createContextKey,
  propagation,
  trace,
} from '@opentelemetry/api';
import { createJtsContextManager } from '../context-manager.js';
import { createW3CTraceContextPropagator } from '../w3c-propagator.js';
import { sdkModules } from './sdk-modules.js';

// ProxyTracerProvider's delegate before anything registers is the API's no-op provider.
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();
const PROBE = createContextKey('jts.trace.probe');

/**
 * The tracer provider the application registered itself, if any (the global proxy's delegate
 * when it is not the API's no-op provider).
 */
export function registeredTracerProvider(): TracerProvider | undefined {
  const global = trace.getTracerProvider();
  const delegate = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
  return delegate === NOOP_PROVIDER ? undefined : delegate;
}

// The API's no-op context manager ignores `with`: a value set there is not seen inside.
const hasContextManager = () =>
  context.with(ROOT_CONTEXT.setValue(PROBE, true), () => context.active().getValue(PROBE) === true);
// The API's no-op propagator has no fields.
const hasPropagator = () => propagation.fields().length > 0;

// Where every copy of OpenTelemetry's API 1.x keeps what is registered globally (its
// `registerGlobal`), so that copies share one registration.
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');
// The propagators registered here (W3C Trace Context + Baggage, which read only `traceparent`,
// `tracestate` and `baggage`).
const ownPropagators = new WeakSet<object>();

/**
 * Whether the global propagator is one registered here, which reads no carrier field but
 * `traceparent`, `tracestate` and `baggage`: without `traceparent` and `baggage`, its extraction
 * returns the context it was given. Read from the API's global registry each time, so a propagator
 * registered after ours was disabled is never mistaken for it.
 *
 * @internal
 */
export function ownPropagatorRegistered(): boolean {
  const registered = (globalThis as { [API_GLOBALS]?: { propagation?: unknown } })[API_GLOBALS]?.propagation;
  return typeof registered === 'object' && registered !== null && ownPropagators.has(registered);
}

/**
 * Registers the JTS context manager and the W3C Trace Context + Baggage propagators where the
 * application has registered none (checked first, so the API logs no duplicate-registration
 * error).
 *
 * @returns a function that unregisters exactly what was registered here
 */
export function registerContextAndPropagation(): () => void {
  const ownsContext = !hasContextManager() && context.setGlobalContextManager(createJtsContextManager());
  const { CompositePropagator, W3CBaggagePropagator } = sdkModules().core;
  const propagator = new CompositePropagator({
    propagators: [createW3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
  const ownsPropagator = !hasPropagator() && propagation.setGlobalPropagator(propagator);
  if (ownsPropagator) ownPropagators.add(propagator);
  return () => {
    if (ownsContext) context.disable();
    if (ownsPropagator) propagation.disable();
  };
}
