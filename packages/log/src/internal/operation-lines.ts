import { type OperationMessage, type OperationName, currentContext, operations, runInContext } from '@jts/core';
import type { Level, Logger } from 'pino';

/** The operations whose runs get a completion or failure line by default. */
export const DEFAULT_LINE_OPERATIONS: readonly OperationName[] = [
  'order.execution',
  'strategy.execution',
  'market_data.processing',
  'broker.api_call',
  'risk.check',
];

/** Levels of the operation lines. */
export interface OperationLineLevels {
  readonly success: Level;
  /** When the run threw or its promise rejected. */
  readonly failure: Level;
  /** When the run ended with another status set through `setOutcome` (e.g. `rejected`). */
  readonly outcome: Level;
}

const STARTED = Symbol('jts.log.started');
const WRITTEN = Symbol('jts.log.written');

type Handlers = Record<'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error', (message: unknown) => void>;

/**
 * Subscribes to the operation channels and writes one line per run: `event.action` (the
 * operation), `event.outcome`, `event.duration` (ns), `jts.operation.status` and, on failure,
 * `error.*`. Called by `createLogger` only; the returned function unsubscribes.
 *
 * @param logger - the logger that writes the lines
 * @param names - operations to follow
 * @param levels - line levels by outcome
 * @param onLine - called once per line written (for stats)
 * @returns unsubscribe
 */
export function subscribeOperationLines(logger: Logger, names: readonly OperationName[], levels: OperationLineLevels, onLine: () => void): () => void {
  const write = (message: OperationMessage) => {
    const status = message.status ?? 'success';
    const started = message[STARTED] as number | undefined;
    const fields: Record<string, unknown> = {
      'event.action': message.operation,
      'event.outcome': status === 'success' ? 'success' : 'failure',
      'event.duration': started === undefined ? undefined : Math.round((performance.now() - started) * 1e6),
      'jts.operation.status': status,
    };
    let level = levels.success;
    let text = `${message.operation} completed`;
    if (message.error !== undefined) {
      level = levels.failure;
      text = `${message.operation} failed`;
      fields.error = message.error instanceof Error ? message.error : { type: message.errorType ?? 'error', message: String(message.error) };
    } else if (status !== 'success') {
      level = levels.outcome;
      text = `${message.operation} ${status}`;
      if (message.errorType !== undefined) fields.error = { type: message.errorType, message: text };
    }
    if (!logger.isLevelEnabled(level)) return;
    onLine();
    logger[level](fields, text);
  };

  const finish = (raw: unknown) => {
    const message = raw as OperationMessage;
    if (message[WRITTEN] === true) return;
    message[WRITTEN] = true;
    try {
      // Core publishes end / asyncEnd inside the run's store, which a tracer may have replaced
      // on start (bindStore) by a derived context holding its span: log in that store, so the
      // line gets the span's trace.id. Only without any store fall back to the run's context.
      if (currentContext() !== undefined) write(message);
      else runInContext(message.context, () => write(message));
    } catch {
      // A logging failure must never surface in the operation's own code path.
    }
  };

  const handlers: Handlers = {
    start: (raw) => {
      (raw as OperationMessage)[STARTED] = performance.now();
    },
    // Core sets `async` before `end`: a promise-returning run is finished at asyncEnd instead.
    end: (raw) => {
      if ((raw as OperationMessage).async === false) finish(raw);
    },
    asyncStart: () => {},
    asyncEnd: finish,
    error: () => {},
  };
  const channels = names.map((name) => operations[name].channel);
  for (const channel of channels) channel.subscribe(handlers as never);
  return () => {
    for (const channel of channels) channel.unsubscribe(handlers as never);
  };
}
