/**
 * The verdict of one run, defined once: which outcomes exist, which class each belongs to, and
 * how every signal reports each class. Subscribers translate a verdict through
 * {@link OUTCOME_SIGNALS}; they never re-derive it. `docs/reference/operations.md` renders this table.
 */

/**
 * The three kinds of ending every signal distinguishes:
 * - `success`: the run did what it was asked;
 * - `error`: it failed (a throw, a rejection, a timeout, a 5xx): counted as an error, span status ERROR;
 * - `business`: it ended as the business says it may without being a fault (an order `rejected` by
 *   the broker, a request `aborted` by its client, a `client_error` 4xx).
 */
export type OutcomeClass = 'success' | 'error' | 'business';

/** How each signal reports one outcome class (the one mapping; see `docs/reference/operations.md`). */
export interface OutcomeSignals {
  /** Level of the operation's log line. */
  readonly logLevel: 'info' | 'warn' | 'error';
  /** ECS `event.outcome` of that line. */
  readonly eventOutcome: 'success' | 'failure';
  /** OpenTelemetry span status: left UNSET, or ERROR. */
  readonly spanStatus: 'unset' | 'error';
  /** Whether the run counts in the error counters (`order_execution_errors_total`, ...). */
  readonly countsAsError: boolean;
}

/** The one mapping from outcome class to every signal. */
export const OUTCOME_SIGNALS: Readonly<Record<OutcomeClass, OutcomeSignals>> = Object.freeze({
  success: Object.freeze({ logLevel: 'info', eventOutcome: 'success', spanStatus: 'unset', countsAsError: false }),
  business: Object.freeze({ logLevel: 'warn', eventOutcome: 'failure', spanStatus: 'unset', countsAsError: false }),
  error: Object.freeze({ logLevel: 'error', eventOutcome: 'failure', spanStatus: 'error', countsAsError: true }),
} as const);

/** Outcomes of the error class; every other outcome but `success` is a business outcome. */
export const ERROR_OUTCOMES: readonly string[] = Object.freeze(['error', 'timeout', 'server_error']);

/**
 * Outcomes of an `http.server.request` run: the status the client saw, or that it never saw one
 * (`aborted`: the client went away first; `timeout`: the response never ended and was closed out).
 */
export const HTTP_OUTCOMES = Object.freeze(['success', 'client_error', 'server_error', 'aborted', 'timeout'] as const);

/** One of {@link HTTP_OUTCOMES}. */
export type HttpOutcome = (typeof HTTP_OUTCOMES)[number];

/** Longest outcome kept; longer ones are cut (outcomes become metric label values). */
const MAX_OUTCOME_LENGTH = 32;
const OUTCOME_TEXT = /^[a-z0-9_]{1,32}$/;

/**
 * Normalises an outcome given by user code into a bounded, label-safe word: lower case,
 * `[a-z0-9_]`, at most 32 characters; `failure` means `error`; empty or non-string means unset.
 *
 * @param raw - what was passed to `setOutcome`
 * @returns the outcome, or undefined when unset
 * @example
 * normalizeOutcome('Partially Filled'); // 'partially_filled'
 */
export function normalizeOutcome(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  if (OUTCOME_TEXT.test(raw)) return raw === 'failure' ? 'error' : raw;
  const word = raw
    .slice(0, MAX_OUTCOME_LENGTH * 2)
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_OUTCOME_LENGTH);
  if (word === '') return 'other';
  return word === 'failure' ? 'error' : word;
}

/**
 * The class of an outcome.
 *
 * @param outcome - a normalised outcome
 * @returns `success`, `error` for {@link ERROR_OUTCOMES}, otherwise `business`
 */
export function outcomeClassOf(outcome: string): OutcomeClass {
  if (outcome === 'success') return 'success';
  return ERROR_OUTCOMES.includes(outcome) ? 'error' : 'business';
}

/**
 * The outcome of an HTTP request from the status its client saw: 1xx-3xx `success`, 4xx
 * `client_error`, 5xx `server_error`. Adapters set `aborted` and `timeout` themselves.
 *
 * @param statusCode - the response status
 * @returns the HTTP outcome
 * @example
 * httpOutcomeOf(404); // 'client_error'
 */
export function httpOutcomeOf(statusCode: number): HttpOutcome {
  if (statusCode >= 500) return 'server_error';
  if (statusCode >= 400) return 'client_error';
  return 'success';
}

/**
 * A short classifier of an error for labels and `error.type`: its `code` when that is a short
 * string (`ETIMEDOUT`), otherwise its `name`, otherwise the type of what was thrown.
 *
 * @param error - what was thrown or rejected
 * @returns the classifier
 */
export function errorTypeOf(error: unknown): string {
  if (!(error instanceof Error)) return error === null ? 'null' : typeof error;
  try {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '' && code.length <= 64) return code;
    const name = error.name;
    return typeof name === 'string' && name !== '' ? name.slice(0, 64) : 'Error';
  } catch {
    // A hostile getter on the error: classify it without reading further.
    return 'Error';
  }
}
