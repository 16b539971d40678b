import { reportDiagnostic, subscribeRuns } from '@jts/core';
import type { AuditRecordInput } from './audit-record-input.js';

/**
 * Records every `orderExecution` run in the trail, from the `jts:order.execution` tracing channel
 * through core's `subscribeRuns`: an `order.submitted` when the run starts (its attributes, as
 * given) and an `order.outcome` when it ends, carrying the verdict core computed (outcome, its
 * class, error type or reason, duration): the same verdict the log line, the span and the counters
 * report. Fire-and-forget: the order is not delayed by the fdatasync, so a failure to make a record
 * durable is counted (`notDurable`) and reported on `jts:diagnostics`, but cannot stop the order.
 * Use `audit.recordOrderEvent` and await it where the order must wait for its record.
 *
 * @param append - the trail's append function
 * @returns unsubscribe
 * @example
 * const stop = subscribeOrderSubmissions((input) => audit.record(input));
 */
export function subscribeOrderSubmissions(append: (input: AuditRecordInput) => Promise<unknown>): () => void {
  const record = (input: AuditRecordInput) => {
    append(input).catch((error: unknown) =>
      reportDiagnostic({
        source: 'compliance',
        event: 'order_run_not_audited',
        message: `${input.type} was not recorded`,
        error,
      }),
    );
  };
  return subscribeRuns({
    source: 'compliance',
    operations: ['order.execution'],
    start: (message) =>
      record({
        type: 'order.submitted',
        correlationId: message.context.correlationId,
        trading: message.context.fields,
        payload: { source: 'jts:order.execution', attributes: message.attributes },
      }),
    finish: (run) => {
      const verdict = run.verdict;
      record({
        type: 'order.outcome',
        correlationId: run.context.correlationId,
        trading: { ...run.context.fields, orderStatus: verdict.outcome },
        payload: {
          source: 'jts:order.execution',
          outcome: verdict.outcome,
          outcome_class: verdict.outcomeClass,
          error_type: verdict.errorType,
          reason: verdict.reason,
          duration_ms: verdict.durationMs,
        },
      });
    },
  });
}
