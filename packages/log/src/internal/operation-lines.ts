import {
  type FinishedRun,
  type OperationName,
  OUTCOME_SIGNALS,
  currentContext,
  runInContext,
  subscribeRuns,
} from '@jts/core';
import type { Level, Logger } from 'pino';
import type { OperationLineWriter } from './operation-line-writer.js';

/** The operations whose runs get a line by default: all six (`http.server.request` is the access line). */
export const DEFAULT_LINE_OPERATIONS: readonly OperationName[] = [
  'order.execution',
  'strategy.execution',
  'market_data.processing',
  'broker.api_call',
  'risk.check',
  'http.server.request',
];

/** Levels of the operation lines, by the class of the run's verdict. */
export interface OperationLineLevels {
  /** Verdict class `success`. */
  readonly success: Level;
  /** Verdict class `error` (a throw, a rejection, a timeout, a 5xx). */
  readonly failure: Level;
  /** Verdict class `business` (`rejected`, `aborted`, a 4xx). */
  readonly outcome: Level;
}

type Fields = Record<string, unknown>;

/** Text of a thrown non-Error, without letting a hostile `toString` escape. */
function describe(thrown: unknown): string {
  try {
    return String(thrown);
  } catch {
    return `[unprintable ${typeof thrown}]`;
  }
}

/** The ECS fields of an access line: what the client asked and what it got. */
function accessFields(run: FinishedRun, fields: Fields): string {
  const method = run.attribute('method');
  const route = run.attribute('route');
  const url = run.attribute('url');
  const statusCode = run.attribute('statusCode');
  const path = typeof url === 'string' ? url.split('?', 1)[0] : undefined;
  if (typeof method === 'string') fields['http.request.method'] = method;
  if (typeof route === 'string') fields['http.route'] = route;
  if (path !== undefined) fields['url.path'] = path;
  if (typeof statusCode === 'number') fields['http.response.status_code'] = statusCode;
  const requestBytes = run.attribute('requestBytes');
  const responseBytes = run.attribute('responseBytes');
  if (typeof requestBytes === 'number') fields['http.request.body.bytes'] = requestBytes;
  if (typeof responseBytes === 'number') fields['http.response.body.bytes'] = responseBytes;
  const agent = (run.attributes.headers as Fields | undefined)?.['user-agent'];
  if (typeof agent === 'string') fields['user_agent.original'] = agent;
  return `${typeof method === 'string' ? method : 'HTTP'} ${route ?? path ?? ''} ${typeof statusCode === 'number' ? statusCode : run.verdict.outcome}`;
}

/**
 * Subscribes to the operation channels (through core's `subscribeRuns`) and writes one line per
 * run from the verdict core computed: `event.action` (the operation), `event.outcome`,
 * `event.duration` (ns), `jts.operation.status` (the outcome), `event.reason` for a business
 * outcome, `error.*` for a failure; the access line of an `http.server.request` run also carries
 * its ECS `http.*`, `url.path` and `user_agent.original` fields. Called by `createLogger` only.
 *
 * @param logger - the logger that writes the lines
 * @param names - operations to follow
 * @param levels - line levels by verdict class
 * @param onLine - called once per line written (for stats)
 * @param direct - writes the line of a run without error or reason straight to the destination (see `createOperationLineWriter`)
 * @returns unsubscribe
 */
export function subscribeOperationLines(
  logger: Logger,
  names: readonly OperationName[],
  levels: OperationLineLevels,
  onLine: () => void,
  direct?: OperationLineWriter,
): () => void {
  const levelOf = { success: levels.success, error: levels.failure, business: levels.outcome } as const;
  const write = (run: FinishedRun) => {
    const verdict = run.verdict;
    const level = levelOf[verdict.outcomeClass];
    if (!logger.isLevelEnabled(level)) return;
    const eventOutcome = OUTCOME_SIGNALS[verdict.outcomeClass].eventOutcome;
    const durationNs = Math.round(verdict.durationMs * 1e6);
    if (
      direct !== undefined &&
      verdict.outcomeClass !== 'error' &&
      verdict.reason === undefined &&
      run.operation !== 'http.server.request'
    ) {
      const text =
        verdict.outcomeClass === 'success' ? `${run.operation} completed` : `${run.operation} ${verdict.outcome}`;
      if (direct(level, run.operation, eventOutcome, verdict.outcome, durationNs, text)) {
        onLine();
        return;
      }
    }
    const fields: Fields = {
      'event.action': run.operation,
      'event.outcome': eventOutcome,
      'event.duration': durationNs,
      'jts.operation.status': verdict.outcome,
    };
    let text: string;
    if (run.operation === 'http.server.request') text = accessFields(run, fields);
    else if (verdict.outcomeClass === 'success') text = `${run.operation} completed`;
    else if (verdict.outcomeClass === 'error' && verdict.outcome === 'error') text = `${run.operation} failed`;
    else text = `${run.operation} ${verdict.outcome}`;
    if (verdict.reason !== undefined) fields['event.reason'] = verdict.reason;
    if (verdict.outcomeClass === 'error') {
      fields.error =
        verdict.error instanceof Error
          ? verdict.error
          : {
              type: verdict.errorType ?? 'error',
              message: verdict.error === undefined ? text : describe(verdict.error),
            };
    }
    onLine();
    logger[level](fields, text);
  };
  return subscribeRuns({
    source: 'log',
    operations: names,
    // Core ends a run inside the store bound at its start, which a tracer replaces by a context
    // holding its span: log there, so the line gets the span's trace.id. Outside any store, enter
    // the run's own context.
    finish: (run) => {
      if (currentContext() !== undefined) write(run);
      else runInContext(run.context, () => write(run));
    },
  });
}
