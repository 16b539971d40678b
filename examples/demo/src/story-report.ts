import type { ServiceName } from './demo-services.js';
import type { OrderStory, Verifications } from './order-story.js';
import type { ReceivedSpan } from './otlp-receiver.js';
import type { JsonLine } from './run-files.js';

const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 3)}...` : text);
const time = (line: JsonLine) => String(line['@timestamp'] ?? '').slice(11, 26);

function describeLine(line: JsonLine): string {
  const duration =
    typeof line['event.duration'] === 'number' ? ` (${(line['event.duration'] / 1e6).toFixed(2)} ms)` : '';
  const status =
    line['jts.operation.status'] && line['jts.operation.status'] !== 'success'
      ? ` [${line['jts.operation.status']}]`
      : '';
  return `${String(line.message ?? '')}${status}${duration}`;
}

/** The span tree, each line: offset from the root's start, duration, name, process. */
export function renderSpanTree(spans: readonly ReceivedSpan[]): string[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const roots = spans.filter((span) => !ids.has(span.parentSpanId)).sort((a, b) => a.startMs - b.startMs);
  const origin = roots[0]?.startMs ?? 0;
  const lines: string[] = [];
  const walk = (span: ReceivedSpan, depth: number, parent: ReceivedSpan | undefined) => {
    const crossing = parent && parent.service !== span.service ? `  <- ${parent.service}` : '';
    lines.push(
      `${`+${(span.startMs - origin).toFixed(1)}`.padStart(8)} ms ${span.durationMs.toFixed(1).padStart(7)} ms  ${cut(`${'  '.repeat(depth)}${span.name}`, 44).padEnd(44)} ${span.service}${crossing}`,
    );
    for (const child of spans
      .filter((candidate) => candidate.parentSpanId === span.spanId)
      .sort((a, b) => a.startMs - b.startMs))
      walk(child, depth + 1, span);
  };
  for (const root of roots) walk(root, 0, undefined);
  return lines;
}

function summary(story: OrderStory): string {
  const records = story.audit['order-service'] ?? [];
  const submitted = records.find((record) => record.type === 'order.submitted' || record.type === 'order.rejected');
  const final = [...records]
    .reverse()
    .find((record) => typeof record.type === 'string' && /^order\.(filled|rejected)$/.test(record.type));
  const order = (submitted?.payload ?? {}) as Record<string, unknown>;
  const outcome = (final?.payload ?? {}) as Record<string, unknown>;
  const what = `${order.side ?? '?'} ${order.quantity ?? '?'} ${order.symbol ?? '?'} at ${order.price ?? '?'} (${order.order_type ?? '?'}), strategy ${submitted?.['trading.strategy_id'] ?? '?'}`;
  const result =
    final?.type === 'order.filled'
      ? `${outcome.filled_quantity === order.quantity ? 'filled' : 'partially filled'} ${outcome.filled_quantity} at ${outcome.average_price}`
      : `rejected (${outcome.reason ?? '?'})`;
  return `${story.orderId}: ${what} -> ${result}`;
}

/**
 * Prints one order's story: its log lines in every service, its span tree across the processes,
 * its exemplar, its audit records and the verification of every trail.
 *
 * @param story - what was found
 * @param verifications - each audit trail's verification
 * @param print - where lines go
 */
export function printStory(story: OrderStory, verifications: Verifications, print: (line: string) => void): void {
  print(`\nOne order's story: ${summary(story)}`);
  print(`correlation ID ${story.correlationId}, trace ID ${story.traceId}`);

  const services = Object.keys(story.logs) as ServiceName[];
  print(`\n1. Its log lines, in ${services.length} services (correlation_id=${story.correlationId}):`);
  for (const service of services) {
    const lines = story.logs[service]!;
    for (const line of lines.slice(0, 6))
      print(
        `   ${service.padEnd(18)} ${time(line)} ${String(line['log.level']).padEnd(5)} ${cut(describeLine(line), 90)}`,
      );
    if (lines.length > 6) print(`   ${service.padEnd(18)} ... ${lines.length - 6} more`);
  }

  const processes = new Set(story.spans.map((span) => span.service));
  const ids = new Set(story.spans.map((span) => span.spanId));
  const orphans = story.spans.filter((span) => span.parentSpanId !== '' && !ids.has(span.parentSpanId)).length;
  print(
    `\n2. Its trace: ${story.spans.length} spans from ${processes.size} processes (${[...processes].join(', ')}); ${orphans === 0 ? 'every parent link resolves' : `${orphans} span(s) with a parent outside the trace`}`,
  );
  for (const line of renderSpanTree(story.spans)) print(`   ${line}`);

  print("\n3. Its latency sample's exemplar (order service /metrics, OpenMetrics): the bucket links to the trace");
  print(`   ${story.exemplar.line}`);

  print('\n4. Its audit records:');
  for (const [service, records] of Object.entries(story.audit) as [ServiceName, JsonLine[]][]) {
    for (const record of records)
      print(
        `   ${service.padEnd(18)} seq ${String(record.seq).padStart(5)} ${String(record.type).padEnd(18)} ${cut(JSON.stringify(record.payload), 100)}`,
      );
  }
  for (const [service, result] of Object.entries(verifications) as [
    ServiceName,
    NonNullable<Verifications[ServiceName]>,
  ][]) {
    const verdict = result.ok ? 'verified OK' : `FAILED at seq ${result.firstBadSeq}: ${result.problem?.message}`;
    print(
      `   ${service} trail: ${verdict} (${result.records} records, ${result.checkpoints} signed checkpoint(s)${result.sealed ? ', sealed' : ''})`,
    );
  }
}
