import { AsyncLocalStorage } from 'node:async_hooks';
import { compare } from '../../../bench/harness.js';
import { currentContext, orderExecution, runWithContext } from '../src/index.js';

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
const order = { orderId: 'o-1', strategyId: 'mm-1', symbol: 'AAPL', side: 'buy', orderType: 'limit', exchange: 'XNAS' };

await runWithContext({ correlationId: 'bench-1', strategyId: 'mm-1' }, () =>
  compare({
    suite: 'core-operations',
    title: '@jts/core: op.run with no subscriber',
    description:
      'One synchronous order step wrapped by `orderExecution.run(6 trading fields, fn)` with no signal subscribed, inside an existing context, against a plain call and a bare `AsyncLocalStorage.run`. Goal from the foundation issue: op.run adds under 100 ns to a plain call.',
    operationsPerCall: LOOP,
    cases: [
      { name: 'plain call', baseline: true, fn: () => repeat(() => work()) },
      { name: 'bare AsyncLocalStorage.run', fn: () => repeat(() => bareAls.run(store, work)) },
      { name: 'orderExecution.run (no subscriber)', fn: () => repeat(() => orderExecution.run(order, work)) },
      {
        name: 'orderExecution.run + first read of trading attributes',
        fn: () => repeat(() => orderExecution.run(order, () => currentContext()?.attributes)),
      },
    ],
    goals: [
      {
        case: 'orderExecution.run (no subscriber)',
        text: 'op.run with no subscriber adds under 100 ns to a plain call',
        maxAddedNs: 100,
      },
    ],
  }),
);
if (sink === -1) console.log(sink);
