import type { ModuleRef } from '@nestjs/core';

/** The part of Nest's `ApplicationConfig` the module uses (global filters, NestJS 12 pre-request hooks). */
export interface ApplicationConfigLike {
  addGlobalFilter(filter: unknown): void;
  getGlobalFilters?(): unknown;
}

/**
 * The application's `ApplicationConfig`, which Nest does not offer for injection: every
 * `ModuleRef` (10, 11, 12) holds its `NestContainer`, whose public `applicationConfig` is the
 * configuration `useGlobalFilters` and `APP_FILTER` write to.
 *
 * @param moduleRef - any module's ModuleRef
 * @returns the configuration, or undefined if this Nest keeps it elsewhere
 */
export function applicationConfigOf(moduleRef: ModuleRef): ApplicationConfigLike | undefined {
  const config = (moduleRef as unknown as { container?: { applicationConfig?: unknown } }).container?.applicationConfig;
  return typeof (config as ApplicationConfigLike | undefined)?.addGlobalFilter === 'function'
    ? (config as ApplicationConfigLike)
    : undefined;
}

/** Nest 11 and 12 announce each microservice server (hybrid or standalone) on the modules container. */
export interface RpcTargetSource {
  getRpcTargetRegistry(): { subscribe(next: (server: unknown) => void): { unsubscribe(): void } };
}

/**
 * The modules container's registry of microservice servers, when this Nest has one (11, 12).
 *
 * @param modules - the injected `ModulesContainer`
 * @returns the registry source, or undefined (NestJS 10)
 */
export function rpcTargetsOf(modules: unknown): RpcTargetSource | undefined {
  return typeof (modules as Partial<RpcTargetSource> | undefined)?.getRpcTargetRegistry === 'function'
    ? (modules as RpcTargetSource)
    : undefined;
}

/** Loads an optional Nest package (`@nestjs/microservices`, `@nestjs/websockets`) the application may not have. */
export async function optionalImport<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch {
    return undefined;
  }
}
