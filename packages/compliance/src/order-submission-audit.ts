import { type OperationMessage, orderExecution, reportDiagnostic } from '@jts/core';
import type { AuditRecordInput } from './audit-record-input.js';

/**
 * Records an `order.submitted` for every `orderExecution` run, from the `jts:order.execution`
 * tracing channel. Fire-and-forget: the order is not delayed by the fdatasync, so a failure to
 * make the record durable is counted (`notDurable`) and reported on `jts:diagnostics`, but cannot
 * stop the order. Use `audit.recordOrderEvent` and await it where the order must wait for its record.
 *
 * @param append - the trail's append function
 * @returns unsubscribe
 * @example
 * const stop = subscribeOrderSubmissions((input) => audit.record(input));
 */
export function subscribeOrderSubmissions(append: (input: AuditRecordInput) => Promise<unknown>): () => void {
  const onStart = (raw: unknown) => {
    const message = raw as OperationMessage;
    append({
      type: 'order.submitted',
      correlationId: message.context.correlationId,
      trading: message.context.fields,
      payload: { source: 'jts:order.execution', attributes: message.attributes },
    }).catch((error: unknown) => reportDiagnostic({ source: 'compliance', event: 'order_submission_not_audited', error }));
  };
  orderExecution.channel.start.subscribe(onStart);
  return () => {
    orderExecution.channel.start.unsubscribe(onStart);
  };
}
