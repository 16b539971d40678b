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

/** What an access line says about its request, read once from the run. */
interface AccessParts {
  readonly method: unknown;
  readonly route: unknown;
  readonly path: string | undefined;
  readonly statusCode: unknown;
  readonly requestBytes: unknown;
  readonly responseBytes: unknown;
  readonly agent: unknown;
}

/** A request target without its query string. */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** The attributes an access line reads (`http.server.request`'s, which an adapter may update). */
interface AccessAttributes {
  readonly method?: unknown;
  readonly url?: unknown;
  readonly route?: unknown;
  readonly statusCode?: unknown;
  readonly requestBytes?: unknown;
  readonly responseBytes?: unknown;
  readonly headers?: unknown;
}

/** What `run.attribute(name)` answers: the update when there is one, else the attribute given at the start. */
const either = (updated: unknown, given: unknown): unknown => (updated !== undefined ? updated : given);

function accessPartsOf(run: FinishedRun): AccessParts {
  // The same values as `run.attribute(name)`, read by name at each site: one shared keyed read by
  // a variable name is a megamorphic lookup on every call.
  const given = run.attributes as AccessAttributes;
  const updates = run.updates as AccessAttributes | undefined;
  const url = either(updates?.url, given.url);
  return {
    method: either(updates?.method, given.method),
    route: either(updates?.route, given.route),
    path: typeof url === 'string' ? pathOf(url) : undefined,
    statusCode: either(updates?.statusCode, given.statusCode),
    requestBytes: either(updates?.requestBytes, given.requestBytes),
    responseBytes: either(updates?.responseBytes, given.responseBytes),
    agent: (given.headers as Fields | undefined)?.['user-agent'],
  };
}

function accessText(parts: AccessParts, outcome: string): string {
  const { method, route, path, statusCode } = parts;
  return `${typeof method === 'string' ? method : 'HTTP'} ${route ?? path ?? ''} ${typeof statusCode === 'number' ? statusCode : outcome}`;
}

/** The ECS fields of an access line: what the client asked and what it got. */
function accessFields(parts: AccessParts, fields: Fields): void {
  const { method, route, path, statusCode, requestBytes, responseBytes, agent } = parts;
  if (typeof method === 'string') fields['http.request.method'] = method;
  if (typeof route === 'string') fields['http.route'] = route;
  if (path !== undefined) fields['url.path'] = path;
  if (typeof statusCode === 'number') fields['http.response.status_code'] = statusCode;
  if (typeof requestBytes === 'number') fields['http.request.body.bytes'] = requestBytes;
  if (typeof responseBytes === 'number') fields['http.response.body.bytes'] = responseBytes;
  if (typeof agent === 'string') fields['user_agent.original'] = agent;
}

/**
 * The same fields as {@link accessFields}, in the same order, as the JSON text the direct writer
 * appends; `undefined` when a value is not plain (a string the logger's string step would change,
 * a number pino would write as `null`), so the line goes through pino.
 */
function accessJson(parts: AccessParts, jsonOf: OperationLineWriter['json']): string | undefined {
  const { method, route, path, statusCode, requestBytes, responseBytes, agent } = parts;
  let json = '';
  if (typeof method === 'string') {
    const text = jsonOf(method);
    if (text === undefined) return undefined;
    json += `,"http.request.method":${text}`;
  }
  if (typeof route === 'string') {
    const text = jsonOf(route);
    if (text === undefined) return undefined;
    json += `,"http.route":${text}`;
  }
  if (path !== undefined) {
    const text = jsonOf(path, false);
    if (text === undefined) return undefined;
    json += `,"url.path":${text}`;
  }
  if (typeof statusCode === 'number') {
    if (!Number.isFinite(statusCode)) return undefined;
    json += `,"http.response.status_code":${statusCode}`;
  }
  if (typeof requestBytes === 'number') {
    if (!Number.isFinite(requestBytes)) return undefined;
    json += `,"http.request.body.bytes":${requestBytes}`;
  }
  if (typeof responseBytes === 'number') {
    if (!Number.isFinite(responseBytes)) return undefined;
    json += `,"http.response.body.bytes":${responseBytes}`;
  }
  if (typeof agent === 'string') {
    const text = jsonOf(agent);
    if (text === undefined) return undefined;
    json += `,"user_agent.original":${text}`;
  }
  return json;
}

/** The message of a run without error: `order.execution completed`, `order.execution rejected`. */
const simpleText = (operation: string, outcome: string): string =>
  outcome === 'success' ? `${operation} completed` : `${operation} ${outcome}`;

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
 * @param direct - writes the line of a run without error or reason (access lines included) straight to the destination (see `createOperationLineWriter`)
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
    const simple = direct !== undefined && verdict.outcomeClass !== 'error' && verdict.reason === undefined;
    const access = run.operation === 'http.server.request' ? accessPartsOf(run) : undefined;
    if (simple && access === undefined) {
      if (direct.line(level, run.operation, eventOutcome, verdict.outcome, durationNs, simpleText)) {
        onLine();
        return;
      }
    } else if (simple && access !== undefined) {
      // The message holds the route template when there is one, else the path (new on most lines).
      const textJson = direct.json(accessText(access, verdict.outcome), typeof access.route === 'string');
      const json = textJson === undefined ? undefined : accessJson(access, direct.json);
      if (
        textJson !== undefined &&
        json !== undefined &&
        direct.access(level, eventOutcome, verdict.outcome, durationNs, json, textJson)
      ) {
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
    if (access !== undefined) {
      text = accessText(access, verdict.outcome);
      accessFields(access, fields);
    } else if (verdict.outcomeClass === 'success') text = `${run.operation} completed`;
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
