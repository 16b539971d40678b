import { createRequire } from 'node:module';

/**
 * Loads an optional peer dependency by name, resolved from this package, without ever throwing.
 * `import.meta.url` works in both builds (tsup turns it into this file's URL in CommonJS).
 *
 * @param name - the package to load
 * @returns the module, or `undefined` when it is not installed or fails to load
 */
export function optionalRequire<T>(name: string): T | undefined {
  try {
    return createRequire(import.meta.url)(name) as T;
  } catch {
    return undefined;
  }
}
