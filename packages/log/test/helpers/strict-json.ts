import { type ObjectNode, iterator, parse } from '@humanwhocodes/momoa';

/**
 * Parses one log line as strict JSON (RFC 8259, through momoa, the JSON parser of ESLint's JSON
 * language) and rejects any object that repeats a key, which `JSON.parse` accepts silently (it
 * keeps the last one) and Elasticsearch rejects. Throws naming the repeated key and its position.
 *
 * @param line - one line, without its newline
 * @returns the parsed value
 */
export function parseStrictJson(line: string): Record<string, unknown> {
  const document = parse(line, { mode: 'json' });
  if (document.body.type !== 'Object') throw new Error(`a line must be one JSON object, found ${document.body.type}`);
  for (const { node } of iterator(document, ({ phase }) => phase === 'enter')) {
    if (node.type !== 'Object') continue;
    const seen = new Set<string>();
    for (const member of (node as ObjectNode).members) {
      const name = member.name.type === 'String' ? member.name.value : member.name.name;
      if (seen.has(name))
        throw new Error(`duplicate key ${JSON.stringify(name)} at ${member.loc.start.line}:${member.loc.start.column}`);
      seen.add(name);
    }
  }
  return JSON.parse(line) as Record<string, unknown>;
}
