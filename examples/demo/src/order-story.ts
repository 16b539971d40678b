import { readFileSync } from 'node:fs';
import { verifyAuditTrail, type AuditVerificationResult } from '@jts/compliance';
import { AUDITED_SERVICES, paths, SERVICE_NAMES, STORY_SERVICES, type ServiceName } from './demo-services.js';
import type { Sample } from './exposition.js';
import type { ReceivedSpan } from './otlp-receiver.js';
import { type JsonLine, readAuditRecords, readJsonLines } from './run-files.js';

/** Everything the demo found about one order, across the processes. */
export interface OrderStory {
  readonly correlationId: string;
  readonly traceId: string;
  readonly orderId: string;
  /** The `order_execution_duration_seconds_bucket` sample whose exemplar points at the trace. */
  readonly exemplar: Sample;
  readonly spans: readonly ReceivedSpan[];
  /** The order's log lines, by service (every service that wrote one). */
  readonly logs: Readonly<Partial<Record<ServiceName, JsonLine[]>>>;
  /** The order's audit records, by audited service. */
  readonly audit: Readonly<Partial<Record<ServiceName, JsonLine[]>>>;
}

/** An audit trail's verification, by audited service. */
export type Verifications = Readonly<Partial<Record<ServiceName, AuditVerificationResult>>>;

/**
 * Finds an order to tell: one whose latency sample carries an exemplar (the order service's
 * `order_execution_duration_seconds`), whose trace holds spans of the strategy engine, the
 * market-data service and the order service, and whose correlation ID is in all three logs.
 * A filled order is preferred.
 *
 * @param directory - the run's directory (logs, audit trails)
 * @param spans - every span received
 * @param orderServiceMetrics - the order service's last OpenMetrics scrape
 * @returns the story, or a reason why none was found
 */
export function findOrderStory(
  directory: string,
  spans: readonly ReceivedSpan[],
  orderServiceMetrics: readonly Sample[],
): OrderStory | string {
  const where = paths(directory);
  const logs = Object.fromEntries(SERVICE_NAMES.map((name) => [name, readJsonLines(where.log(name))])) as Record<
    ServiceName,
    JsonLine[]
  >;
  const exemplars = orderServiceMetrics.filter(
    (sample) => sample.name === 'order_execution_duration_seconds_bucket' && sample.exemplar?.labels.trace_id,
  );
  if (exemplars.length === 0)
    return 'the order service exposed no exemplar on order_execution_duration_seconds (no order was traced)';
  const candidates: OrderStory[] = [];
  for (const exemplar of exemplars) {
    const traceId = exemplar.exemplar!.labels.trace_id!;
    const traceSpans = spans.filter((span) => span.traceId === traceId);
    if (!STORY_SERVICES.every((service) => traceSpans.some((span) => span.service === service))) continue;
    const execution = logs['order-service'].find(
      (line) => line['trace.id'] === traceId && line['event.action'] === 'order.execution',
    );
    const correlationId = execution?.correlation_id;
    if (typeof correlationId !== 'string') continue;
    const byService = Object.fromEntries(
      SERVICE_NAMES.map((name) => [name, logs[name].filter((line) => line.correlation_id === correlationId)]).filter(
        ([, lines]) => (lines?.length ?? 0) > 0,
      ),
    );
    if (!STORY_SERVICES.every((service) => byService[service] !== undefined)) continue;
    const audit = Object.fromEntries(
      AUDITED_SERVICES.map((name) => [
        name,
        readAuditRecords(where.audit(name)).filter((record) => record.correlation_id === correlationId),
      ]),
    );
    const story = {
      correlationId,
      traceId,
      orderId: String(execution!['trading.order_id']),
      exemplar,
      spans: traceSpans,
      logs: byService,
      audit,
    };
    if (execution!['jts.operation.status'] === 'success') return story;
    candidates.push(story);
  }
  return (
    candidates[0] ??
    `none of the ${exemplars.length} exemplars led to a trace with spans and log lines of ${STORY_SERVICES.join(', ')}`
  );
}

/**
 * Verifies each audit trail with its public key (hash chain, signed checkpoints).
 *
 * @param directory - the run's directory
 * @returns the results by service
 */
export async function verifyTrails(directory: string): Promise<Verifications> {
  const where = paths(directory);
  const results: Partial<Record<ServiceName, AuditVerificationResult>> = {};
  for (const service of AUDITED_SERVICES)
    results[service] = await verifyAuditTrail(where.audit(service), readFileSync(where.publicKey(service)));
  return results;
}
