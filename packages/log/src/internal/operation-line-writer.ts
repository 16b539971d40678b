import pino, { type Level, type Logger } from 'pino';

// pino's internal symbols (stable across pino 8-10; a test compares this writer's lines with pino's byte for byte).
const symbols = pino.symbols as unknown as Record<string, symbol>;
const LS_CACHE = symbols.lsCacheSym as symbol;
const CHINDINGS = symbols.chindingsSym as symbol;
const STREAM = symbols.streamSym as symbol;
const END = symbols.endSym as symbol;
const NEEDS_METADATA = symbols.needsMetadataGsym as symbol;
const MSG_PREFIX = symbols.msgPrefixSym as symbol;

interface Destination {
  write(line: string): unknown;
  readonly [needsMetadata: symbol]: unknown;
}
type Internals = Record<symbol, unknown>;

/** What one operation line says besides its duration: the parts around it, as JSON text. */
interface LineParts {
  readonly beforeDuration: string;
  readonly afterDuration: string;
}

// Outcomes are normalised by core to [a-z0-9_]{1,32}, but a service may use many: bound the cache.
const PARTS_LIMIT = 256;

/** Writes one operation line whose every field is known to need no sanitising. */
export type OperationLineWriter = (
  level: Level,
  operation: string,
  eventOutcome: string,
  outcome: string,
  durationNs: number,
  text: string,
) => boolean;

/**
 * The operation line of a run with no error and no business reason, written straight to the
 * logger's destination as the same bytes pino would write: the level, the timestamp with the
 * context and trace fields (the same pre-serialised fragments pino's timestamp hook returns), the
 * logger's bindings, then `event.*`, `jts.operation.status` and the message, whose text is built
 * once per operation and outcome. These fields are the operation's name, core's normalised outcome
 * (`[a-z0-9_]`) and a number, so the argument handling, the field sanitiser and the serialiser pino
 * would run have nothing to change; skipping them is most of a line's cost. Lines with a reason or
 * an error, access lines and every other call go through pino.
 *
 * Declines (returns `undefined`, and pino writes every line) when the logger has redact paths or
 * serializers, whose effect only pino applies, or a message prefix; a write declines when the
 * destination needs pino's per-line metadata (several destinations with their own levels).
 *
 * @param logger - the root logger the lines belong to
 * @param timestamp - the logger's timestamp hook (timestamp, context and trace fragments)
 * @param onLevel - counts a line by level, as the logger's mixin does for pino's lines
 * @returns the writer, or `undefined` when only pino can write these lines
 */
export function createOperationLineWriter(
  logger: Logger,
  timestamp: () => string,
  onLevel: (level: number) => void,
  options: { readonly redactPaths: boolean; readonly serializers: boolean },
): OperationLineWriter | undefined {
  const internals = logger as unknown as Internals;
  if (options.redactPaths || options.serializers) return undefined;
  const prefix = internals[MSG_PREFIX];
  if (prefix !== undefined && prefix !== '') return undefined;
  const parts = new Map<string, LineParts>();
  const partsOf = (operation: string, eventOutcome: string, outcome: string, text: string): LineParts => {
    const key = `${operation}\n${outcome}\n${text}`;
    let found = parts.get(key);
    if (found === undefined) {
      if (parts.size >= PARTS_LIMIT) parts.clear();
      found = {
        beforeDuration: `,"event.action":${JSON.stringify(operation)},"event.outcome":${JSON.stringify(eventOutcome)},"event.duration":`,
        afterDuration: `,"jts.operation.status":${JSON.stringify(outcome)},"message":${JSON.stringify(text)}`,
      };
      parts.set(key, found);
    }
    return found;
  };
  const levels = logger.levels.values;
  return (level, operation, eventOutcome, outcome, durationNs, text) => {
    const stream = internals[STREAM] as Destination;
    if (stream[NEEDS_METADATA] === true || !Number.isFinite(durationNs)) return false;
    const number = levels[level] as number;
    const { beforeDuration, afterDuration } = partsOf(operation, eventOutcome, outcome, text);
    const line =
      (internals[LS_CACHE] as Record<number, string>)[number] +
      timestamp() +
      (internals[CHINDINGS] as string) +
      beforeDuration +
      durationNs +
      afterDuration +
      (internals[END] as string);
    onLevel(number);
    stream.write(line);
    return true;
  };
}
