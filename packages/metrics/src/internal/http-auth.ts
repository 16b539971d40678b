import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { JtsError } from '@jts/core';
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
    const normalised =
      space > 0
        ? `${given.slice(0, 1).toUpperCase()}${given.slice(1, space).toLowerCase()}${given.slice(space)}`
        : given;
    return timingSafeEqual(digest(normalised), expectedDigest);
  };
}

const nonEmpty = (value: unknown) => typeof value === 'string' && value !== '';

/**
 * The credentials of a handler: the `auth` option (checked), else `JTS_METRICS_BEARER_TOKEN`,
 * else `JTS_METRICS_BASIC_AUTH` (`user:password`). A malformed basic-auth variable throws instead
 * of being ignored: ignoring it would serve the metrics without the credentials the operator set.
 *
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a malformed `auth` option or `JTS_METRICS_BASIC_AUTH`
 * @internal
 */
export function resolveAuth(auth: MetricsAuth | undefined, environment: NodeJS.ProcessEnv): MetricsAuth | undefined {
  if (auth !== undefined) {
    const candidate = auth as Partial<Record<'bearerToken' | 'username' | 'password', unknown>> | null;
    const bearer =
      candidate !== null &&
      typeof candidate === 'object' &&
      'bearerToken' in candidate &&
      nonEmpty(candidate.bearerToken);
    const basic =
      candidate !== null &&
      typeof candidate === 'object' &&
      nonEmpty(candidate.username) &&
      typeof candidate.password === 'string';
    if (bearer || basic) return auth;
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      'Invalid option auth: expected { bearerToken } or { username, password } with non-empty strings (or set JTS_METRICS_BEARER_TOKEN or JTS_METRICS_BASIC_AUTH)',
    );
  }
  const token = environment.JTS_METRICS_BEARER_TOKEN?.trim();
  if (token) return { bearerToken: token };
  const basic = environment.JTS_METRICS_BASIC_AUTH?.trim();
  if (!basic) return undefined;
  const colon = basic.indexOf(':');
  if (colon <= 0)
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      'Invalid JTS_METRICS_BASIC_AUTH for option auth: expected user:password (a non-empty user before the first colon)',
    );
  return { username: basic.slice(0, colon), password: basic.slice(colon + 1) };
}
