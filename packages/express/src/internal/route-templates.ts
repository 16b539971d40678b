import type { Layer } from './express-shapes.js';

/**
 * The text of a registered path pattern: a string as given, a RegExp as its literal
 * (`/^\/v\d+/`, bounded: one label per registration), an array (Express 4 routes, when the
 * alternative that matched cannot be told) joined by commas.
 *
 * @param pattern - what was given to `use` / `route` / `get`
 * @returns the text, or undefined for anything else
 */
export function patternText(pattern: unknown): string | undefined {
  if (typeof pattern === 'string') return pattern;
  if (pattern instanceof RegExp) return String(pattern);
  if (Array.isArray(pattern)) {
    const parts = pattern.map(patternText);
    return parts.every((part) => part !== undefined) ? parts.join(',') : undefined;
  }
  return undefined;
}

/**
 * Joins a mount prefix and the pattern below it: `('/api/orders/:orderId', '/fills/:fid')`
 * gives `/api/orders/:orderId/fills/:fid`; a `/` pattern adds nothing.
 *
 * @param prefix - template of the enclosing mounts ('' at the top)
 * @param pattern - the layer's pattern
 * @returns the joined template
 */
export function joinTemplate(prefix: string, pattern: string): string {
  if (pattern === '' || pattern === '/') return prefix === '' ? '/' : prefix;
  if (prefix === '' || prefix === '/') return pattern;
  return prefix.endsWith('/') && pattern.startsWith('/') ? prefix + pattern.slice(1) : prefix + pattern;
}

// path-to-regexp 0.1 (Express 4) ends what it compiles with an optional slash, then the end or a
// lookahead for the next segment (non-strict routing, the default). A RegExp given by the app
// itself is kept as its literal instead of being rebuilt from what it matched.
const COMPILED_SUFFIX = /\\\/\?(?:\$|\(\?=\\\/\|\$\))$/;
const withIndices = new WeakMap<RegExp, RegExp>();

/**
 * Express 4 keeps no pattern text on a layer, only its compiled RegExp, its parameter keys and
 * what it matched last. The template is rebuilt from that match: each parameter's span becomes
 * `:name` (an unnamed group `*`), the literal text is kept (lower-cased when routing is
 * case-insensitive, so `/API` and `/api` share one label), a trailing slash dropped.
 *
 * @param layer - an Express 4 layer, read right after it matched
 * @returns the template, or undefined when the layer holds no match
 */
export function express4Template(layer: Layer): string | undefined {
  const regexp = layer.regexp;
  const matched = layer.path;
  if (!(regexp instanceof RegExp) || typeof matched !== 'string') return undefined;
  if (regexp.fast_slash === true) return '/';
  if (regexp.fast_star === true) return '*';
  if (!regexp.source.startsWith('^') || !COMPILED_SUFFIX.test(regexp.source)) return String(regexp);
  let indexed = withIndices.get(regexp);
  if (indexed === undefined) {
    indexed = new RegExp(regexp.source, `${regexp.flags.replace(/[gy]/g, '')}d`);
    withIndices.set(regexp, indexed);
  }
  const match = indexed.exec(matched);
  if (match?.indices === undefined) return undefined;
  const literal = regexp.flags.includes('i') ? (text: string) => text.toLowerCase() : (text: string) => text;
  const keys = layer.keys ?? [];
  let template = '';
  let last = 0;
  for (let group = 1; group < match.indices.length; group++) {
    const span = match.indices[group];
    if (span === undefined || span[0] < last) continue;
    const name = keys[group - 1]?.name;
    template += `${literal(matched.slice(last, span[0]))}${typeof name === 'string' ? `:${name}` : '*'}`;
    last = span[1];
  }
  template += literal(matched.slice(last));
  return template.length > 1 && template.endsWith('/') ? template.slice(0, -1) : template || '/';
}
