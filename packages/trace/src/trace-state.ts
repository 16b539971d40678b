import type { TraceState } from '@opentelemetry/api';

/** W3C Trace Context: at most 32 list members. */
export const TRACESTATE_MAX_MEMBERS = 32;

const SIMPLE_KEY = /^[a-z][a-z0-9_\-*/]{0,255}$/;
const MULTI_TENANT_KEY = /^[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13}$/;
// 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const OWS = /^[ \t]+|[ \t]+$/g;

/**
 * Whether `key` is a valid `tracestate` key (simple or `tenant@system`).
 *
 * @param key - candidate key
 * @returns true when it matches the specification's grammar
 */
export function isValidTraceStateKey(key: string): boolean {
  return SIMPLE_KEY.test(key) || MULTI_TENANT_KEY.test(key);
}

/**
 * Whether `value` is a valid `tracestate` value (1-256 printable characters, no `,` or `=`, no
 * trailing space).
 *
 * @param value - candidate value
 * @returns true when it matches the specification's grammar
 */
export function isValidTraceStateValue(value: string): boolean {
  return VALUE.test(value);
}

class W3CTraceState implements TraceState {
  constructor(private readonly members: ReadonlyArray<readonly [string, string]>) {}

  set(key: string, value: string): TraceState {
    if (!isValidTraceStateKey(key) || !isValidTraceStateValue(value)) return this;
    const rest = this.members.filter(([existing]) => existing !== key);
    // A vendor updating its entry moves it to the front; the oldest entries fall off the end.
    return new W3CTraceState([[key, value] as const, ...rest].slice(0, TRACESTATE_MAX_MEMBERS));
  }

  unset(key: string): TraceState {
    return new W3CTraceState(this.members.filter(([existing]) => existing !== key));
  }

  get(key: string): string | undefined {
    return this.members.find(([existing]) => existing === key)?.[1];
  }

  serialize(): string {
    return this.members.map(([key, value]) => `${key}=${value}`).join(',');
  }
}

/**
 * Parses a `tracestate` header. The whole header is discarded (undefined) when any member is
 * malformed, when a key repeats, or when it has more than 32 members; empty members (`a=1,,b=2`)
 * are allowed and skipped, as the grammar says.
 *
 * @param header - the raw value, several headers already joined with commas
 * @returns the trace state, or undefined when absent, empty or invalid
 * @example
 * createTraceState('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7')?.get('rojo');
 */
export function createTraceState(header: string | undefined): TraceState | undefined {
  if (header === undefined) return undefined;
  const members: Array<readonly [string, string]> = [];
  const seen = new Set<string>();
  for (const raw of header.split(',')) {
    const member = raw.replace(OWS, '');
    if (member === '') continue;
    const equals = member.indexOf('=');
    if (equals <= 0) return undefined;
    const key = member.slice(0, equals);
    const value = member.slice(equals + 1);
    if (!isValidTraceStateKey(key) || !isValidTraceStateValue(value) || seen.has(key)) return undefined;
    seen.add(key);
    members.push([key, value]);
    if (members.length > TRACESTATE_MAX_MEMBERS) return undefined;
  }
  return members.length === 0 ? undefined : new W3CTraceState(members);
}
