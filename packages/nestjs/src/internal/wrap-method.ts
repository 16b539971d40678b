import { JtsError } from '@jts/core';

type Method = (this: unknown, ...args: unknown[]) => unknown;
type MetadataReflect = typeof Reflect & {
  getOwnMetadataKeys?: (target: object) => unknown[];
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
};

// What a function object owns by itself: never copied from the original onto its wrapper.
const OWN = new Set<PropertyKey>(['length', 'name', 'prototype', 'arguments', 'caller']);

/**
 * Replaces a decorated method with a wrapper that keeps what other decorators put on the
 * original: its `reflect-metadata` entries (`@Roles()`, `@SetMetadata()`, `@Cron()`,
 * `@MessagePattern()`, `@UseGuards()` write theirs on the method function) and its own
 * properties, and its name. Decorators applied before this one (below it) wrote to the original
 * and are copied; those applied after (above it) write to the wrapper. Either order works.
 *
 * @param decorator - name of the decorator, for the error message
 * @param descriptor - the method's property descriptor
 * @param wrap - builds the wrapper around the original
 * @returns the descriptor with the wrapper
 * @throws JtsError `JTS_ERR_INVALID_ARGUMENT` when put on something that is not a method
 */
export function wrapMethod(
  decorator: string,
  descriptor: PropertyDescriptor,
  wrap: (original: Method) => Method,
): PropertyDescriptor {
  const original = descriptor.value as Method;
  if (typeof original !== 'function')
    throw new JtsError('JTS_ERR_INVALID_ARGUMENT', `@${decorator}() decorates methods only`);
  const wrapper = wrap(original);
  const reflect = Reflect as MetadataReflect;
  if (typeof reflect.getOwnMetadataKeys === 'function' && typeof reflect.defineMetadata === 'function') {
    for (const key of reflect.getOwnMetadataKeys(original))
      reflect.defineMetadata(key, reflect.getOwnMetadata!(key, original), wrapper);
  }
  for (const key of Reflect.ownKeys(original)) {
    if (!OWN.has(key)) Object.defineProperty(wrapper, key, Object.getOwnPropertyDescriptor(original, key)!);
  }
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  descriptor.value = wrapper;
  return descriptor;
}
