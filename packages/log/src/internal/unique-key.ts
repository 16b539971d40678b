/**
 * The name a field gets when its own name is already in the line (a child binding of the same
 * name, a schema field, an earlier field that moved there): under `labels.`, numbered from `_2`
 * when that is taken too. Elasticsearch rejects a document that repeats a key, so a line never does.
 *
 * @param key - the name the field would have had
 * @param taken - whether a name is already in the line
 * @returns a name for which `taken` is false
 * @example
 * uniqueKey('order', (name) => name === 'order'); // 'labels.order'
 */
export function uniqueKey(key: string, taken: (name: string) => boolean): string {
  const base = key.startsWith('labels.') ? key : `labels.${key}`;
  if (!taken(base)) return base;
  for (let suffix = 2; ; suffix++) {
    const candidate = `${base}_${suffix}`;
    if (!taken(candidate)) return candidate;
  }
}
