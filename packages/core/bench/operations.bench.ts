import { AsyncLocalStorage } from 'node:async_hooks';
import { compare } from '../../../bench/harness.js';
import { currentContext, orderExecution, runWithContext } from '../dist/index.js';

// What a hot path wraps: a tiny synchronous order step. The same work in every case.
let sink = 0;
const work = (scope?: unknown) => {
  sink = (sink + 1) | 0;
  return scope === undefined ? sink : sink + 1;
};
const bareAls = new AsyncLocalStorage<object>();
const store = {};
const LOOP = 100;
const repeat = (fn: () => unknown) => {
  for (let index = 0; index < LOOP; index++) fn();
};
// Every call is a new order: its own attributes object with a fresh order ID, as a service gets
// it from the request, cycling over 1024 orders built up front (building the IDs is not measured).
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA'];
const ORDERS = Array.from({ length: 1024 }, (_unused, index) => ({
  orderId: `o-${100_000 + index}`,
  strategyId: 'mm-1',
  symbol: SYMBOLS[index & 3]!,
  side: (index & 4) === 0 ? 'buy' : 'sell',
  orderType: 'limit',
  exchange: 'XNAS',
}));
let sequence = 0;
const nextOrder = () => ORDERS[sequence++ & 1023]!;

await runWithContext({ correlationId: 'bench-1', strategyId: 'mm-1' }, () =>
  compare({
    suite: 'core-operations',
    title: '@jts/core: op.run with no subscriber',
    description:
      'One synchronous order step wrapped by `orderExecution.run(6 trading fields, fn)` with no signal subscribed, against a plain call and a bare `AsyncLocalStorage.run`. Figures are per order: every run is a new order with its own attributes object and order ID (1024 built up front, cycled), so each run makes a new context (whose fields are merged only when read, as in the last case); the runs happen inside one existing strategy scope. Goal from the foundation issue: op.run adds under 100 ns to a plain call.',
    operationsPerCall: LOOP,
    cases: [
      { name: 'plain call', baseline: true, fn: () => repeat(() => work()) },
      { name: 'bare AsyncLocalStorage.run', fn: () => repeat(() => bareAls.run(store, work)) },
      {
        name: 'orderExecution.run (no subscriber), new order each run',
        fn: () => repeat(() => orderExecution.run(nextOrder(), work)),
      },
      {
        name: 'orderExecution.run + first read of trading attributes, new order each run',
        fn: () => repeat(() => orderExecution.run(nextOrder(), () => currentContext()?.attributes)),
      },
    ],
    goals: [
      {
        case: 'orderExecution.run (no subscriber), new order each run',
        text: 'op.run with no subscriber adds under 100 ns to a plain call',
        maxAddedNs: 100,
      },
    ],
  }),
);
if (sink === -1) console.log(sink);
