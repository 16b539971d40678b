/**
 * How the walker writes an Error: the ECS `error` object (`type`, `message`, `stack_trace`,
 * `code`, `cause`, `errors`), every part read defensively and sanitised like any string.
 */

/** Describes what was thrown while reading a value, without trusting it. */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return `${String(thrown.name)}: ${String(thrown.message)}`;
    return typeof thrown;
  } catch {
    return 'unknown';
  }
}

/** Reads a property without letting a throwing getter (or Proxy trap) escape. */
export function readProperty(target: object, key: string | number): unknown {
  try {
    return (target as Record<string | number, unknown>)[key];
  } catch (thrown) {
    return `[Unreadable: getter threw ${describeThrown(thrown)}]`;
  }
}

/**
 * Writes a field of a copy made from a caller's keys. A key named `__proto__` (parsed JSON carries
 * them) is defined as an own property: assigned, it would set the copy's prototype instead, and
 * the field would be lost from what is written.
 */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** What the error writer needs from the walker. */
export interface ErrorFieldsContext {
  readonly maxDepth: number;
  /** Longest `errors` list (AggregateError) written. */
  readonly maxErrorItems: number;
  /** Objects being written (cycle check). */
  readonly ancestors: object[];
  /** The walker's string step (bound, redact, encode). */
  string(value: string): string;
  /** The walker's value step. */
  value(value: unknown, depth: number): unknown;
}

/**
 * Writes an Error as an ECS error object, its cause chain and `errors` list included (cycles
 * marked, depth and list length bounded).
 *
 * @param context - the walker's steps and limits
 * @param target - the error
 * @param depth - nesting depth of the error
 * @returns the error object
 */
export function errorFields(context: ErrorFieldsContext, target: Error, depth: number): Record<string, unknown> {
  const { ancestors, string } = context;
  if (depth > context.maxDepth) return { type: 'Error', message: '[Truncated: max depth]' };
  ancestors.push(target);
  try {
    const out: Record<string, unknown> = {};
    const name = readProperty(target, 'name');
    const constructorName = (readProperty(target, 'constructor') as { name?: unknown } | undefined)?.name;
    out.type = string(
      typeof name === 'string' && name !== 'Error'
        ? name
        : typeof constructorName === 'string'
          ? constructorName
          : 'Error',
    );
    out.message = string(text(readProperty(target, 'message') ?? ''));
    const stack = readProperty(target, 'stack');
    if (typeof stack === 'string') out.stack_trace = string(stack);
    const code = readProperty(target, 'code');
    if (typeof code === 'string' || typeof code === 'number') out.code = string(String(code));
    const cause = readProperty(target, 'cause');
    if (cause !== undefined) out.cause = causeOf(context, cause, depth + 1);
    const errors = readProperty(target, 'errors');
    if (Array.isArray(errors)) {
      const count = errors.length;
      out.errors = errors.slice(0, context.maxErrorItems).map((item) => causeOf(context, item, depth + 1));
      if (count > context.maxErrorItems) out.errors_omitted = count - context.maxErrorItems;
    }
    return out;
  } finally {
    ancestors.pop();
  }
}

// A cause may be anything; the schema wants an ECS error object in `cause` and `errors`.
function causeOf(context: ErrorFieldsContext, cause: unknown, depth: number): Record<string, unknown> {
  if (cause instanceof Error)
    return context.ancestors.includes(cause)
      ? { type: 'Circular', message: '[Circular]' }
      : errorFields(context, cause, depth);
  const described = context.value(cause, depth);
  return {
    type: typeof cause,
    message: typeof described === 'string' ? described : context.string(safeJson(described)),
  };
}

function text(value: unknown): string {
  try {
    return String(value);
  } catch (thrown) {
    return `[Unreadable: ${describeThrown(thrown)}]`;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '[Unserializable]';
  }
}
