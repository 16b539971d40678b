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
  /** `,"jts.operation.status":"…"`: what follows the duration on an access line. */
  readonly status: string;
}

// Any UTF-16 surrogate: a string with one is left to pino, which writes a lone one raw where JSON.stringify escapes it.
const SURROGATE = /[\uD800-\uDFFF]/;

// Plain strings remembered by an access line writer: at most this many, each at most this long.
const KNOWN_LIMIT = 1024;
const KNOWN_LENGTH = 256;

// Outcomes are normalised by core to [a-z0-9_]{1,32}, but a service may use many: bound the cache.
const PARTS_LIMIT = 256;
const NO_TEXT = () => '';

/** Writes operation lines whose every field is known to need no sanitising. */
export interface OperationLineWriter {
  /**
   * The line of a run without error or reason; false when only pino can write it.
   *
   * @param textOf - the message of an operation and outcome (called once per pair, then kept: it
   * must depend on them alone)
   */
  line(
    level: Level,
    operation: string,
    eventOutcome: string,
    outcome: string,
    durationNs: number,
    textOf: (operation: string, outcome: string) => string,
  ): boolean;
  /**
   * The access line of an `http.server.request` run without error or reason.
   *
   * @param fields - the JSON text of the ECS request fields, each entry `,"key":value`, whose string values came from {@link json}
   * @param textJson - the message as JSON text, from {@link json}
   * @returns false when only pino can write it
   */
  access(
    level: Level,
    eventOutcome: string,
    outcome: string,
    durationNs: number,
    fields: string,
    textJson: string,
  ): boolean;
  /**
   * The JSON text of a string that goes into a line exactly as `JSON.stringify` writes it (the
   * logger's string step, with its length limit, redaction and unsafe characters, leaves it as it
   * is, and it has no lone surrogate, which pino writes raw and `JSON.stringify` escapes), or
   * `undefined` for any other. `repeats: false` for a value that is new on most lines (a URL
   * path): it is checked but not remembered.
   */
  json(value: string, repeats?: boolean): string | undefined;
}

/** The keys of an access line besides the operation's own; see `accessFields` in operation-lines. */
export const ACCESS_FIELD_KEYS = [
  'http.request.method',
  'http.route',
  'url.path',
  'http.response.status_code',
  'http.request.body.bytes',
  'http.response.body.bytes',
  'user_agent.original',
] as const;

/**
 * The operation line of a run with no error and no business reason, written straight to the
 * logger's destination as the same bytes pino would write: the level, the timestamp with the
 * context and trace fields (the same pre-serialised fragments pino's timestamp hook returns), the
 * logger's bindings, then `event.*`, `jts.operation.status` and the message, whose text is built
 * once per operation and outcome. These fields are the operation's name, core's normalised outcome
 * (`[a-z0-9_]`) and a number, so the argument handling, the field sanitiser and the serialiser pino
 * would run have nothing to change; skipping them is most of a line's cost. The access line of an
 * `http.server.request` run is written the same way when its request fields are plain strings
 * and numbers under keys the logger leaves alone (no redaction key, not written by its bindings);
 * a value the string step would change (a secret in the path, an over-long user agent) sends the
 * line through pino. Lines with a reason or an error and every other call go through pino.
 *
 * Declines (returns `undefined`, and pino writes every line) when the logger has redact paths or
 * serializers, whose effect only pino applies, or a message prefix; a write declines when the
 * destination needs pino's per-line metadata (several destinations with their own levels).
 *
 * @param logger - the root logger the lines belong to
 * @param timestamp - the logger's timestamp hook (timestamp, context and trace fragments)
 * @param onLevel - counts a line by level, as the logger's mixin does for pino's lines
 * @param options - what makes pino the only writer (redact paths, serializers); the string step
 *   and whether the access keys are ones the line formatter would move or redact
 * @returns the writer, or `undefined` when only pino can write these lines
 */
export function createOperationLineWriter(
  logger: Logger,
  timestamp: () => string,
  onLevel: (level: number) => void,
  options: {
    readonly redactPaths: boolean;
    readonly serializers: boolean;
    readonly sanitizeString: (value: string) => string;
    /** Whether the line formatter would rename or redact one of {@link ACCESS_FIELD_KEYS}. */
    readonly accessKeysTouched: boolean;
    /** Keys the logger's bindings write into its lines, read at each access line (`setBindings` can change them). */
    readonly boundKeys: () => ReadonlySet<string> | undefined;
  },
): OperationLineWriter | undefined {
  const internals = logger as unknown as Internals;
  if (options.redactPaths || options.serializers) return undefined;
  const prefix = internals[MSG_PREFIX];
  if (prefix !== undefined && prefix !== '') return undefined;
  // By operation and outcome, in nested maps: both are the same few strings run after run, whose
  // hashes V8 keeps (a key joined from them, or a message built per run, would be a new string to
  // hash per line). The event outcome and the message follow from them.
  const parts = new Map<string, Map<string, LineParts>>();
  let kept = 0;
  const partsOf = (
    operation: string,
    eventOutcome: string,
    outcome: string,
    textOf: (operation: string, outcome: string) => string,
  ): LineParts => {
    const found = parts.get(operation)?.get(outcome);
    if (found !== undefined) return found;
    if (kept >= PARTS_LIMIT) {
      parts.clear();
      kept = 0;
    }
    const status = `,"jts.operation.status":${JSON.stringify(outcome)}`;
    const made: LineParts = {
      beforeDuration: `,"event.action":${JSON.stringify(operation)},"event.outcome":${JSON.stringify(eventOutcome)},"event.duration":`,
      afterDuration: `${status},"message":${JSON.stringify(textOf(operation, outcome))}`,
      status,
    };
    let byOutcome = parts.get(operation);
    if (byOutcome === undefined) parts.set(operation, (byOutcome = new Map()));
    byOutcome.set(outcome, made);
    kept++;
    return made;
  };
  const levels = logger.levels.values;
  const write = (level: Level, durationNs: number, body: string): boolean => {
    const stream = internals[STREAM] as Destination;
    if (stream[NEEDS_METADATA] === true || !Number.isFinite(durationNs)) return false;
    const number = levels[level] as number;
    const line =
      (internals[LS_CACHE] as Record<number, string>)[number] +
      timestamp() +
      (internals[CHINDINGS] as string) +
      body +
      (internals[END] as string);
    onLevel(number);
    stream.write(line);
    return true;
  };
  const { sanitizeString, accessKeysTouched, boundKeys } = options;
  // Plain strings seen before, with their JSON text.
  const known = new Map<string, string>();
  const accessKeysBound = () => {
    const bound = boundKeys();
    if (bound === undefined || bound.size === 0) return false;
    for (const key of ACCESS_FIELD_KEYS) if (bound.has(key)) return true;
    return false;
  };
  return {
    line(level, operation, eventOutcome, outcome, durationNs, textOf) {
      const { beforeDuration, afterDuration } = partsOf(operation, eventOutcome, outcome, textOf);
      return write(level, durationNs, beforeDuration + durationNs + afterDuration);
    },
    access(level, eventOutcome, outcome, durationNs, fields, textJson) {
      if (accessKeysTouched || accessKeysBound()) return false;
      const { beforeDuration, status } = partsOf('http.server.request', eventOutcome, outcome, NO_TEXT);
      return write(level, durationNs, `${beforeDuration}${durationNs}${status}${fields},"message":${textJson}`);
    },
    json(value, repeats = true) {
      if (repeats) {
        const found = known.get(value);
        if (found !== undefined) return found;
      }
      if (sanitizeString(value) !== value || SURROGATE.test(value)) return undefined;
      const text = JSON.stringify(value);
      // Methods, route templates, user agents and messages repeat: remember the plain ones and
      // their JSON (short strings only, a bounded map), so the string step scans a value and
      // JSON.stringify escapes it once, not on every request. Paths are mostly new (an order ID in
      // each): remembering them only churned the map.
      if (repeats && value.length <= KNOWN_LENGTH) {
        if (known.size >= KNOWN_LIMIT) known.clear();
        known.set(value, text);
      }
      return text;
    },
  };
}
