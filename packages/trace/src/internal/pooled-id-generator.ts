import type { IdGenerator } from '@opentelemetry/sdk-trace-base';

const POOL_BYTES = 4096;

/**
 * Trace and span IDs from a pool of cryptographically random bytes, refilled 4 KiB at a time
 * (Web Crypto's `getRandomValues`, one call per 170 spans or so): the SDK's default generator calls
 * `Math.random` and writes a shared buffer for every ID. An ID of all zeros is invalid in W3C
 * trace context: the bytes are drawn again (a chance of 2^-64 for a span ID).
 *
 * @returns the generator, for the provider's `idGenerator`
 * @internal
 */
export function createPooledIdGenerator(): IdGenerator {
  const pool = Buffer.allocUnsafe(POOL_BYTES);
  // The pool in hex, made once per refill: an ID is a slice of it (V8 shares the characters), not
  // a call into the Buffer's native hex encoder per ID (about 40% of an ID's cost here).
  let hex = '';
  let offset = POOL_BYTES;
  const next = (bytes: number): string => {
    for (;;) {
      if (offset + bytes > POOL_BYTES) {
        globalThis.crypto.getRandomValues(pool);
        hex = pool.toString('hex');
        offset = 0;
      }
      const start = offset;
      offset += bytes;
      for (let index = start; index < offset; index++) if (pool[index] !== 0) return hex.slice(2 * start, 2 * offset);
    }
  };
  return {
    generateTraceId: () => next(16),
    generateSpanId: () => next(8),
  };
}
