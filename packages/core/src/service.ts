import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Who is emitting telemetry: `service.name`, `service.version`, `service.environment`. */
export interface ServiceInfo {
  readonly name: string;
  readonly version: string | undefined;
  readonly environment: string;
}

/** Service identity given in code; each field wins over the environment. */
export interface ServiceInfoOptions {
  /** `service.name`. Env: `OTEL_SERVICE_NAME`, then `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, then the package name. */
  readonly serviceName?: string;
  /** `service.version`. Env: `service.version` in `OTEL_RESOURCE_ATTRIBUTES`, then the package version. */
  readonly serviceVersion?: string;
  /** Deployment environment. Env: `deployment.environment.name` in `OTEL_RESOURCE_ATTRIBUTES`, then `NODE_ENV`. Default `development`. */
  readonly environment?: string;
}

/**
 * Parses `OTEL_RESOURCE_ATTRIBUTES` (`key=value,key2=value2`, values percent-encoded).
 *
 * @param raw - the variable's value
 * @returns decoded attributes; malformed members are skipped
 */
export function parseResourceAttributes(raw: string | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (!raw) return attributes;
  for (const member of raw.split(',')) {
    const equals = member.indexOf('=');
    if (equals <= 0) continue;
    try {
      attributes[member.slice(0, equals).trim()] = decodeURIComponent(member.slice(equals + 1).trim());
    } catch {
      // Skip a malformed member; the others still apply.
    }
  }
  return attributes;
}

function packageJsonOf(directory: string): { name?: string; version?: string } {
  try {
    return JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
  } catch {
    return {};
  }
}

const nonEmpty = (value: string | undefined) => (value !== undefined && value.trim() !== '' ? value.trim() : undefined);

/**
 * Resolves the service identity once, at setup: option > `OTEL_SERVICE_NAME` >
 * `OTEL_RESOURCE_ATTRIBUTES` > the package name (npm's `npm_package_name`, else `./package.json`)
 * > `unknown_service:node` (OpenTelemetry's default).
 *
 * @param options - values given in code
 * @param environment - environment to read (default `process.env`)
 * @returns name, version and environment
 * @example
 * resolveServiceInfo({ serviceName: 'order-service' }).name; // 'order-service'
 */
export function resolveServiceInfo(
  options: ServiceInfoOptions = {},
  environment: NodeJS.ProcessEnv = process.env,
): ServiceInfo {
  const resource = parseResourceAttributes(environment.OTEL_RESOURCE_ATTRIBUTES);
  let pkg: { name?: string; version?: string } | undefined;
  const fromPackage = () => (pkg ??= packageJsonOf(process.cwd()));
  const name =
    nonEmpty(options.serviceName) ??
    nonEmpty(environment.OTEL_SERVICE_NAME) ??
    nonEmpty(resource['service.name']) ??
    nonEmpty(environment.npm_package_name) ??
    nonEmpty(fromPackage().name) ??
    'unknown_service:node';
  const version =
    nonEmpty(options.serviceVersion) ??
    nonEmpty(resource['service.version']) ??
    nonEmpty(environment.npm_package_version) ??
    nonEmpty(fromPackage().version);
  const env =
    nonEmpty(options.environment) ??
    nonEmpty(resource['deployment.environment.name']) ??
    nonEmpty(resource['deployment.environment']) ??
    nonEmpty(environment.NODE_ENV) ??
    'development';
  return Object.freeze({ name, version, environment: env });
}
