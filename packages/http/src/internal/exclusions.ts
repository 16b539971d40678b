import type { IncomingMessage } from 'node:http';
import { JtsError } from '@jts/core';
import { match } from 'path-to-regexp';

/** What `exclude` accepts. */
export type ExclusionRule = readonly (string | RegExp)[] | ((request: IncomingMessage) => boolean);

/** The path of a request target, without its query string. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Compiles the exclusion rules once: exact paths into a Set, route templates with
 * `path-to-regexp` (the matcher Express 5 itself uses, so `/health/:probe` means what it means
 * there), RegExps as given.
 *
 * @param rules - paths, templates, RegExps or a predicate
 * @returns a predicate over requests (given the request target when the caller already read it);
 *   it never throws (a throwing user predicate excludes nothing)
 * @throws JtsError `JTS_ERR_INVALID_OPTION` for a rule that is not a path, a template or a RegExp
 */
export function compileExclusions(rules: ExclusionRule): (request: IncomingMessage, url?: string) => boolean {
  if (typeof rules === 'function') {
    return (request) => {
      try {
        return rules(request) === true;
      } catch {
        return false;
      }
    };
  }
  if (!Array.isArray(rules))
    throw new JtsError(
      'JTS_ERR_INVALID_OPTION',
      'Invalid option exclude: give an array of paths, templates or RegExps, a predicate, or false (or set JTS_HTTP_EXCLUDE)',
    );
  const exact = new Set<string>();
  const matchers: ((path: string) => boolean)[] = [];
  for (const rule of rules) {
    if (rule instanceof RegExp) matchers.push((path) => rule.test(path));
    else if (typeof rule === 'string' && rule.startsWith('/')) {
      if (/[:*{]/.test(rule)) {
        let test: ReturnType<typeof match>;
        try {
          test = match(rule, { decode: false });
        } catch (error) {
          throw new JtsError(
            'JTS_ERR_INVALID_OPTION',
            `Invalid option exclude: ${JSON.stringify(rule)} is not a route template (${(error as Error).message}) (or set JTS_HTTP_EXCLUDE)`,
            { cause: error },
          );
        }
        matchers.push((path) => test(path) !== false);
      } else exact.add(rule);
    } else
      throw new JtsError(
        'JTS_ERR_INVALID_OPTION',
        `Invalid option exclude: ${JSON.stringify(String(rule))} must be a path starting with / , a route template or a RegExp (or set JTS_HTTP_EXCLUDE)`,
      );
  }
  if (matchers.length === 0)
    return exact.size === 0 ? () => false : (request, url) => exact.has(pathOf(url ?? request.url));
  return (request, url) => {
    const path = pathOf(url ?? request.url);
    if (exact.has(path)) return true;
    for (const test of matchers) if (test(path)) return true;
    return false;
  };
}
