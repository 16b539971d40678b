// `npm run demo`: the example services under a short synthetic order flow, and what the shared
// context and operations produced for each order.
import { runWithContext } from '@jts/core';
import { createOperationJournal } from './operation-journal.js';
import { createBroker, createOrderService, createStrategyEngine, listen } from './services.js';

const TICKS = Number(process.env.JTS_DEMO_TICKS ?? 60);

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
const journal = createOperationJournal();
const broker = createBroker(random);
const brokerUrl = await listen(broker);
const orderService = createOrderService(brokerUrl);
const orderServiceUrl = await listen(orderService);
const engine = createStrategyEngine(orderServiceUrl, random);

console.log(`order-service ${orderServiceUrl}  broker ${brokerUrl}  ticks ${TICKS}\n`);
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
broker.close();
orderService.close();
journal.close();

const byFlow = new Map<string, typeof journal.entries>();
for (const entry of journal.entries) byFlow.set(entry.correlationId, [...(byFlow.get(entry.correlationId) ?? []), entry]);
const withOrders = [...byFlow.entries()].filter(([, entries]) => entries.some((entry) => entry.operation === 'order.execution'));

console.log('One order flow across strategy engine, order service and broker (every operation shares the correlation ID):');
for (const entry of withOrders[0]?.[1] ?? []) {
  console.log(`  ${entry.correlationId}  ${entry.operation.padEnd(22)} ${entry.status.padEnd(9)} ${entry.milliseconds.toFixed(2).padStart(7)} ms  ${JSON.stringify(entry.fields)}`);
}
const count = (operation: string, status?: string) =>
  journal.entries.filter((entry) => entry.operation === operation && (status === undefined || entry.status === status)).length;
console.log('\nOperations observed through the jts:* channels:');
for (const operation of ['market_data.processing', 'strategy.execution', 'risk.check', 'order.execution', 'broker.api_call', 'http.server.request']) {
  console.log(`  ${operation.padEnd(24)} ${String(count(operation)).padStart(4)} runs  (${count(operation, 'success')} success)`);
}
const crossed = withOrders.filter(([, entries]) => new Set(entries.map((entry) => entry.operation)).size >= 5).length;
console.log(`\n${withOrders.length} flows placed an order; ${crossed} of them show all hops under one correlation ID.`);
