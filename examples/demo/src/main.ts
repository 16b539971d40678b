// `npm run demo`: the example services under a short synthetic order flow, with the correlated
// logs, metrics, traces and audit records that the SDK produced for it.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWithContext } from '@jts/core';
import { verifyAuditTrail } from '@jts/compliance';
import { createOperationJournal } from './operation-journal.js';
import { startOtlpReceiver } from './otlp-receiver.js';
import { createBroker, createOrderService, createStrategyEngine, listen } from './services.js';
import { startTelemetry } from './telemetry.js';

const TICKS = Number(process.env.JTS_DEMO_TICKS ?? 60);
const directory = mkdtempSync(join(tmpdir(), 'jts-demo-'));

// Deterministic synthetic flow (mulberry32) so every run tells the same story.
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(42);
const receiver = await startOtlpReceiver();
const telemetry = await startTelemetry(directory, receiver.url);
const journal = createOperationJournal();
const broker = createBroker(random);
const brokerUrl = await listen(broker);
const orderService = createOrderService(brokerUrl, telemetry.logger, telemetry.audit);
const orderServiceUrl = await listen(orderService);
const engine = createStrategyEngine(orderServiceUrl, random);

console.log(`order-service ${orderServiceUrl}  broker ${brokerUrl}  metrics ${telemetry.metricsUrl}`);
console.log(`OTLP receiver ${receiver.url} (stands in for Jaeger)  artefacts ${directory}\n`);
const symbols = ['AAPL', 'MSFT', 'NVDA'];
const pending: Promise<unknown>[] = [];
for (let tick = 0; tick < TICKS; tick++) {
  const symbol = symbols[tick % symbols.length]!;
  const price = 100 + Math.round(random() * 5000) / 100;
  // Each tick is its own flow with its own correlation ID, like a market-data message.
  pending.push(runWithContext({ correlationId: `tick-${tick}` }, () => engine.onTick(symbol, price)));
  await new Promise((resolve) => setTimeout(resolve, 5));
}
await Promise.all(pending);

const exposition = await (await fetch(telemetry.metricsUrl, { headers: { accept: 'application/openmetrics-text' } })).text();
broker.close();
orderService.close();
journal.close();
await telemetry.close();
await receiver.close();

// --- what came out -----------------------------------------------------------------------------
const byFlow = new Map<string, typeof journal.entries>();
for (const entry of journal.entries) byFlow.set(entry.correlationId, [...(byFlow.get(entry.correlationId) ?? []), entry]);
const flows = [...byFlow.entries()].filter(([, entries]) => entries.some((entry) => entry.operation === 'order.execution'));
const [flowId] = flows[0] ?? ['none'];

console.log(`1. Operations of one order flow (${flowId}) as any APM tool sees them on the jts:* channels:`);
for (const entry of byFlow.get(flowId) ?? []) {
  console.log(`   ${entry.operation.padEnd(24)} ${entry.status.padEnd(8)} ${entry.milliseconds.toFixed(2).padStart(7)} ms`);
}

const lines = readFileSync(join(directory, 'demo.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
const flowLines = lines.filter((line) => line.correlation_id === flowId);
console.log(`\n2. Log lines of that flow (${flowLines.length} of ${lines.length}; ECS JSON in ${join(directory, 'demo.log')}):`);
for (const line of flowLines) {
  console.log(`   ${String(line['log.level']).padEnd(5)} ${String(line.message).padEnd(34)} trace.id=${line['trace.id'] ?? '-'} trading.order_id=${line['trading.order_id'] ?? '-'}`);
}

const traceId = flowLines.find((line) => line['event.action'] === 'order.execution')?.['trace.id'];
const spans = receiver.spans.filter((span) => span.traceId === traceId);
console.log(`\n3. The trace of that flow (${spans.length} spans exported over OTLP/HTTP, ${receiver.spans.length} in all):`);
const children = (parent: string) => spans.filter((span) => span.parentSpanId === parent);
const printTree = (parent: string, depth: number) => {
  for (const span of children(parent)) {
    console.log(`   ${'  '.repeat(depth)}${span.name.padEnd(40 - depth * 2)} ${span.durationMs.toFixed(2).padStart(7)} ms  correlation_id=${span.attributes.correlation_id ?? '-'}`);
    printTree(span.spanId, depth + 1);
  }
};
const ids = new Set(spans.map((span) => span.spanId));
for (const root of spans.filter((span) => !ids.has(span.parentSpanId))) {
  console.log(`   ${root.name.padEnd(40)} ${root.durationMs.toFixed(2).padStart(7)} ms  correlation_id=${root.attributes.correlation_id ?? '-'}`);
  printTree(root.spanId, 1);
}

console.log('\n4. Metrics (OpenMetrics exposition; exemplars link a bucket or counter to its trace):');
const expositionLines = exposition.split('\n');
const firstOf = (pattern: RegExp, count: number) => expositionLines.filter((line) => pattern.test(line)).slice(0, count);
for (const line of [
  ...firstOf(/^order_execution_total\{/, 3),
  ...firstOf(/^order_execution_duration_seconds_bucket\{.*trace_id/, 1),
  ...firstOf(/^api_request_duration_seconds_count\{/, 2),
  ...firstOf(/^jts_log_lines_total\{level="info"\} /, 1),
  ...firstOf(/^jts_trace_[a-z_]+(\{[^}]*\})? /, 3),
  ...firstOf(/^jts_audit_[a-z_]+(\{[^}]*\})? /, 3),
]) {
  console.log(`   ${line.length > 220 ? `${line.slice(0, 217)}...` : line}`);
}

const auditFiles = readdirSync(join(directory, 'audit')).map((file) => join(directory, 'audit', file));
const verification = await verifyAuditTrail(auditFiles.filter((file) => file.endsWith('.jsonl')), telemetry.publicKey);
console.log(
  `\n5. Audit trail: ${verification.records} records, ${verification.checkpoints} signed checkpoints, verified ${verification.ok ? 'OK' : `FAILED at seq ${verification.firstBadSeq}`}${verification.sealed ? ', sealed' : ''}.`,
);

const complete = flows.filter(([id]) => lines.some((line) => line.correlation_id === id) && receiver.spans.some((span) => span.attributes.correlation_id === id)).length;
console.log(`\n${flows.length} flows placed an order; ${complete} of them have log lines and spans under the same correlation ID.`);
if (!verification.ok || complete === 0) process.exitCode = 1;
