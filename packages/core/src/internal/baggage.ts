/** W3C Baggage limits (https://www.w3.org/TR/baggage/#limits). */
const MAX_BAGGAGE_BYTES = 8192;
const MAX_MEMBERS = 180;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Parses a W3C `baggage` header into decoded key/value pairs; malformed members are skipped. */
export function parseBaggage(header: string): Map<string, string> {
  const entries = new Map<string, string>();
  if (header.length > MAX_BAGGAGE_BYTES) return entries;
  let members = 0;
  for (const member of header.split(',')) {
    if (++members > MAX_MEMBERS) break;
    const [pair] = member.split(';', 1);
    if (pair === undefined) continue;
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const key = pair.slice(0, equals).trim();
    if (!TOKEN.test(key)) continue;
    try {
      entries.set(key, decodeURIComponent(pair.slice(equals + 1).trim()));
    } catch {
      // A malformed percent-encoding is one bad member, not a bad header.
    }
  }
  return entries;
}

/** Sets one member in a baggage header, keeping every other member as it was. */
export function setBaggageMember(header: string | undefined, key: string, value: string): string {
  const encoded = `${key}=${encodeURIComponent(value)}`;
  if (!header) return encoded;
  const kept = header
    .split(',')
    .map((member) => member.trim())
    .filter((member) => member !== '' && member.split('=', 1)[0]?.trim() !== key);
  kept.push(encoded);
  let result = kept.join(',');
  // Drop the oldest members rather than produce a header peers must reject.
  while (result.length > MAX_BAGGAGE_BYTES && kept.length > 1) {
    kept.shift();
    result = kept.join(',');
  }
  return result;
}
