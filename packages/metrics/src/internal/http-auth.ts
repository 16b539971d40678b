import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { MetricsAuth } from '../metrics-handler.js';


const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Builds a checker of the `Authorization` header. Both sides are hashed to equal length first,
 * then compared with `crypto.timingSafeEqual`, so neither the length nor a prefix leaks.
 *
 * @internal
 */
export function createAuthCheck(auth: MetricsAuth | undefined): ((req: IncomingMessage) => boolean) | undefined {
  if (auth === undefined) return undefined;
  const expected =
    'bearerToken' in auth
      ? `Bearer ${auth.bearerToken}`
      : `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
  const expectedDigest = digest(expected);
  return (req) => {
    const header = req.headers.authorization;
    const given = typeof header === 'string' ? header.trim() : '';
    // The scheme is case-insensitive (RFC 9110); normalise it before the constant-time compare.
    const space = given.indexOf(' ');
    const normalised = space > 0 ? `${given.slice(0, 1).toUpperCase()}${given.slice(1, space).toLowerCase()}${given.slice(space)}` : given;
    return timingSafeEqual(digest(normalised), expectedDigest);
  };
}

/**
 * Reads credentials from `JTS_METRICS_BEARER_TOKEN` or `JTS_METRICS_BASIC_AUTH` (`user:password`).
 *
 * @internal
 */
export function authFromEnvironment(environment: NodeJS.ProcessEnv = process.env): MetricsAuth | undefined {
  const token = environment.JTS_METRICS_BEARER_TOKEN?.trim();
  if (token) return { bearerToken: token };
  const basic = environment.JTS_METRICS_BASIC_AUTH?.trim();
  if (basic?.includes(':')) {
    const colon = basic.indexOf(':');
    return { username: basic.slice(0, colon), password: basic.slice(colon + 1) };
  }
  return undefined;
}
