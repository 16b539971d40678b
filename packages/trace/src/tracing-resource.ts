import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { Attributes } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ServiceInfo } from '@jts/core';
import { sdkModules } from './internal/sdk-modules.js';

/**
 * The resource of every span: the SDK defaults (`telemetry.sdk.*`), `OTEL_RESOURCE_ATTRIBUTES`,
 * then service, deployment environment, host and process attributes, then the caller's own.
 *
 * @internal
 */
export function createTracingResource(service: ServiceInfo, extra: Attributes = {}): Resource {
  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = sdkModules().resources;
  const attributes: Attributes = {
    'service.name': service.name,
    ...(service.version !== undefined && { 'service.version': service.version }),
    'deployment.environment.name': service.environment,
    'host.name': hostname(),
    'host.arch': process.arch,
    'process.pid': process.pid,
    'process.executable.name': basename(process.execPath),
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    ...extra,
  };
  return defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes(attributes));
}
