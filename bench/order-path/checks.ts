// Proof that a stack really produced its signals: a benchmark of a stack that silently wrote
// nothing (or dropped half of it) would measure nothing. Throws, naming every problem found.
import { readFileSync } from 'node:fs';
import { LINE_KEYS, OPERATION, SPAN_ATTRIBUTE_KEYS } from './orders.js';
import type { OrderStack } from './stack.js';

/** What the stack must have produced by now. */
export interface Expected {
  /** Orders run so far in this process. */
  readonly orders: number;
  readonly sampled: boolean;
  /** ID of the last order run: the last line must be its. */
  readonly lastOrderId: string;
}

const sameKeys = (actual: readonly string[], expected: readonly string[]) =>
  actual.length === expected.length && [...actual].sort().join() === [...expected].sort().join();

/** Line count and last line of a JSON-lines file. */
function readLines(file: string): { count: number; last: Record<string, unknown> | undefined } {
  const data = readFileSync(file);
  let count = 0;
  for (let index = data.indexOf(10); index !== -1; index = data.indexOf(10, index + 1)) count++;
  if (count === 0) return { count, last: undefined };
  const start = data.lastIndexOf(10, data.length - 2) + 1;
  return { count, last: JSON.parse(data.subarray(start).toString('utf8')) };
}

/** Sum of the values of the samples of one metric in an exposition text. */
function sumSamples(exposition: string, sample: string): number {
  let sum = 0;
  for (const line of exposition.split('\n'))
    if (line.startsWith(`${sample}{`)) sum += Number(line.slice(line.indexOf('} ') + 2).split(' ')[0]);
  return sum;
}

/**
 * Flushes the stack and checks its log file, exported spans, metric samples, exemplars and audit
 * records against the orders run so far.
 *
 * @param stack - the stack under test
 * @param expected - orders run, sampling, last order
 * @param label - names the case and the moment in the error
 * @throws Error listing every mismatch
 */
export async function checkSignals(stack: OrderStack, expected: Expected, label: string): Promise<void> {
  const signals = await stack.signals();
  const { orders, sampled } = expected;
  const problems: string[] = [];
  const lines = readLines(signals.logFile);
  if (lines.count !== orders) problems.push(`${lines.count} log lines for ${orders} orders`);
  const last = lines.last ?? {};
  if (!sameKeys(Object.keys(last), LINE_KEYS)) problems.push(`last line has keys ${Object.keys(last).join(',')}`);
  if (last['trading.order_id'] !== expected.lastOrderId)
    problems.push(`last line is of order ${String(last['trading.order_id'])}, not ${expected.lastOrderId}`);
  const traceId = String(last['trace.id']);
  if (!/^[0-9a-f]{32}$/.test(traceId)) problems.push(`last line has trace.id ${traceId}`);
  if (signals.spansExported !== (sampled ? orders : 0))
    problems.push(`${signals.spansExported} spans exported for ${orders} ${sampled ? 'sampled' : 'unsampled'} orders`);
  const span = signals.firstSpan;
  if (sampled && (span?.name !== OPERATION || !sameKeys(Object.keys(span.attributes), SPAN_ATTRIBUTE_KEYS)))
    problems.push(`first span is ${span?.name} with ${Object.keys(span?.attributes ?? {}).join(',')}`);
  const observed = sumSamples(signals.exposition, 'order_execution_duration_seconds_count');
  if (observed !== orders) problems.push(`histogram count ${observed} for ${orders} orders`);
  const counted = sumSamples(signals.exposition, 'order_execution_total');
  if (counted !== orders) problems.push(`order_execution_total ${counted} for ${orders} orders`);
  const exemplarTraces = new Set(
    [...signals.exposition.matchAll(/# \{[^}]*trace_id="([0-9a-f]{32})"/g)].map((m) => m[1]),
  );
  if (stack.exemplars && sampled) {
    if (!exemplarTraces.has(traceId)) problems.push(`no exemplar points at the last order's trace ${traceId}`);
  } else if (exemplarTraces.size > 0) problems.push(`${exemplarTraces.size} exemplars where none belong`);
  if (stack.audit && signals.auditRecords !== 2 * orders)
    problems.push(`${signals.auditRecords} audit records for ${orders} orders (submitted + outcome each)`);
  if (signals.dropped) problems.push(`${signals.dropped} lines or spans dropped`);
  if (problems.length > 0) throw new Error(`${label}: ${problems.join('; ')}`);
}
