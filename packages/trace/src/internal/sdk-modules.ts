import { createRequire } from 'node:module';

/** The OpenTelemetry SDK packages @jts/trace uses at run time (types only here). */
export interface SdkModules {
  readonly core: typeof import('@opentelemetry/core');
  readonly resources: typeof import('@opentelemetry/resources');
  readonly traceBase: typeof import('@opentelemetry/sdk-trace-base');
  readonly traceNode: typeof import('@opentelemetry/sdk-trace-node');
}

let loaded: SdkModules | undefined;

/**
 * The SDK packages, loaded on first use (`initTracing`, a sampler or propagator being built), not
 * when `@jts/trace` is imported: an application with tracing off (`OTEL_SDK_DISABLED=true`) never
 * loads them. They are CommonJS packages and are loaded with `require`, which skips the export
 * scan Node runs when ESM imports a CommonJS module (about 10 ms at start-up for these four).
 * `import.meta.url` works in both builds (tsup turns it into this file's URL in CommonJS).
 *
 * @internal
 */
export function sdkModules(): SdkModules {
  if (loaded === undefined) {
    const load = createRequire(import.meta.url);
    loaded = {
      core: load('@opentelemetry/core'),
      resources: load('@opentelemetry/resources'),
      traceBase: load('@opentelemetry/sdk-trace-base'),
      traceNode: load('@opentelemetry/sdk-trace-node'),
    };
  }
  return loaded;
}
