import { describeThrown, read } from './sanitize-value.js';

/** Turns a call's message and its printf arguments into the line's message text. */
export type MessageFormatter = (message: unknown, args: readonly unknown[]) => string | undefined;

const PERCENT = 37;

/**
 * Builds the printf step of every log call, replacing the one pino runs (quick-format), which
 * throws into the caller on values it cannot convert: `%s` of a null-prototype object
 * (`querystring.parse`), `%d` of a Symbol, a `toString` / `valueOf` that throws, a Proxy that
 * refuses every read. Same tokens as pino (`%s %d %i %f %j %o %O %%`, extra arguments ignored);
 * objects interpolated by `%j %o %O` (and by `%s` when `String()` fails) are written as the JSON
 * of the line's own sanitising walk, so they are redacted by key like any field. A token without
 * a matching argument stays as it is; a `%` before any other character is text.
 *
 * @param json - the JSON text of a value after the line's sanitising walk; never throws
 * @returns the formatter; `undefined` when the call has no message (or a function as message)
 * @example
 * format('order %s filled at %d', ['o-1', 187.25]); // 'order o-1 filled at 187.25'
 */
export function createMessageFormatter(json: (value: unknown) => string): MessageFormatter {
  function number(value: unknown, integer: boolean): string {
    try {
      const converted = Number(value);
      return String(integer ? Math.floor(converted) : converted);
    } catch {
      return 'NaN'; // A Symbol, or a valueOf / Symbol.toPrimitive that throws.
    }
  }

  function string(value: unknown): string {
    if (typeof value === 'string') return value;
    try {
      return String(value);
    } catch (thrown) {
      // A null-prototype object or a Proxy has no usable toString: write what it holds instead.
      return typeof value === 'object' && value !== null ? json(value) : `[Unprintable: ${describeThrown(thrown)}]`;
    }
  }

  function object(value: unknown): string {
    if (typeof value === 'string') return `'${value}'`;
    if (typeof value === 'function') {
      const name = read(value, 'name');
      return typeof name === 'string' && name !== '' ? name : '<anonymous>';
    }
    return json(value);
  }

  function interpolate(template: string, args: readonly unknown[]): string {
    let out = '';
    let last = 0;
    let next = 0;
    for (
      let index = template.indexOf('%');
      index !== -1 && index + 1 < template.length;
      index = template.indexOf('%', index + 1)
    ) {
      const token = template.charCodeAt(index + 1);
      let text: string | undefined;
      if (token === PERCENT) text = '%';
      else if (next < args.length && 'dfisjoO'.includes(template[index + 1]!)) {
        const value = args[next++];
        if (token === 115 /* s */) text = string(value);
        else if (token === 100 /* d */ || token === 102 /* f */)
          text = value == null ? undefined : number(value, false);
        else if (token === 105 /* i */) text = value == null ? undefined : number(value, true);
        else text = value === undefined ? undefined : object(value);
      }
      if (text === undefined) continue;
      out += template.slice(last, index) + text;
      last = index + 2;
      index++;
    }
    return last === 0 ? template : out + template.slice(last);
  }

  return (message, args) => {
    if (typeof message === 'string') return args.length === 0 ? message : interpolate(message, args);
    if (message === undefined || typeof message === 'function') return undefined;
    if (typeof message === 'object' && message !== null) return [message, ...args].map(json).join(' ');
    return string(message);
  };
}
