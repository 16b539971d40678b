import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { Attributes } from '@opentelemetry/api';
import { type Resource, defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import type { ServiceInfo } from '@jts/core';

/**
 * The resource of every span: the SDK defaults (`telemetry.sdk.*`), `OTEL_RESOURCE_ATTRIBUTES`,
 * then service, deployment environment, host and process attributes, then the caller's own.
 *
 * @internal
 */
export function createTracingResource(service: ServiceInfo, extra: Attributes = {}): Resource {
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
