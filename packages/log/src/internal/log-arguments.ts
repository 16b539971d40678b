import { reportDiagnostic } from '@jts/core';
import pino from 'pino';
import type { LineFormatter } from './line-formatter.js';
import type { MessageFormatter } from './message-format.js';
import type { StringSanitizer } from './sanitize-string.js';
import { describeThrown } from './sanitize-value.js';

/** Where a logger keeps the top-level keys its bindings write into each of its lines. */
export const BOUND_KEYS = Symbol('jts.log.boundKeys');

/** The merging object handed to pino: the caller's fields, already made safe, behind one plain property. */
export class SafeFields {
  /** @param fields - the sanitised fields of one line */
  constructor(readonly fields: Record<string, unknown>) {}
}

/** What {@link createLogMethodHook} needs. */
export interface LogArgumentSettings {
  readonly formatter: LineFormatter;
  readonly formatMessage: MessageFormatter;
  readonly sanitizeString: StringSanitizer;
  /** Counts a call that could not be written at all. */
  readonly onLost: () => void;
}

type PinoLog = (...args: unknown[]) => void;
type HookedLogger = { [BOUND_KEYS]?: ReadonlySet<string> };

const NO_KEYS: ReadonlySet<string> = new Set();
const NO_ARGS: readonly unknown[] = [];

function guardedRead(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function isError(value: object): value is Error {
  try {
    return value instanceof Error;
  } catch {
    return false; // A Proxy whose getPrototypeOf trap throws.
  }
}

// pino maps a raw http request / response itself; reading these three properties is what it does
// first, unguarded, on any object: a throwing getter there would throw into the caller.
function httpFields(value: object): Record<string, unknown> | undefined {
  if (guardedRead(value, 'method') && guardedRead(value, 'headers') && guardedRead(value, 'socket'))
    return pino.stdSerializers.mapHttpRequest(value as never);
  if (typeof guardedRead(value, 'setHeader') === 'function') return pino.stdSerializers.mapHttpResponse(value as never);
  return undefined;
}

/**
 * Builds pino's `hooks.logMethod`: the one place every log call's arguments pass before pino
 * touches them. It does what pino's own argument handling does (an Error first becomes `error`
 * and gives the message, an http request / response is mapped, printf tokens are interpolated)
 * without reading anything unguarded, sanitises the fields against the keys the logger's
 * bindings already wrote, and hands pino only a {@link SafeFields} and a finished message. So
 * no argument can make a log call throw into its caller, and no line repeats a key.
 *
 * @param settings - formatters and the lost-call counter
 * @returns the hook
 */
export function createLogMethodHook(settings: LogArgumentSettings) {
  const { formatter, formatMessage, sanitizeString } = settings;

  function normalize(logger: HookedLogger, args: unknown[]): unknown[] {
    const first = args[0];
    if (typeof first !== 'object' || first === null) {
      const [message, params] =
        first === undefined ? [args[1], args.slice(2)] : [first, args.length > 1 ? args.slice(1) : NO_ARGS];
      const text = formatMessage(message, params);
      return text === undefined ? [] : [sanitizeString(text)];
    }
    let fields: object = first;
    let message = args[1];
    if (isError(first)) {
      fields = { error: first };
      if (message === undefined) message = guardedRead(first, 'message');
    } else {
      fields = httpFields(first) ?? first;
      if (message === undefined && guardedRead(first, 'message') === undefined) {
        // pino's rule: without a message, the logged error's message is the line's.
        const error = guardedRead(first, 'error');
        if (typeof error === 'object' && error !== null) message = guardedRead(error, 'message');
      }
    }
    const text = formatMessage(message, args.length > 2 ? args.slice(2) : NO_ARGS);
    const safe = formatter.fields(fields as Record<string, unknown>, logger[BOUND_KEYS] ?? NO_KEYS, text !== undefined);
    return text === undefined ? [new SafeFields(safe)] : [new SafeFields(safe), sanitizeString(text)];
  }

  return function logMethod(this: HookedLogger, args: unknown[], method: PinoLog): void {
    try {
      method.apply(this, normalize(this, args));
    } catch (thrown) {
      // Only reached when a value changes between two reads (a getter that throws the second time):
      // the line is lost, counted and reported, never thrown into the caller.
      settings.onLost();
      reportDiagnostic({
        source: 'log',
        event: 'log_call_failed',
        message: `a log call could not be written: ${describeThrown(thrown)}`,
      });
    }
  };
}
